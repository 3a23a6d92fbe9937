import { Module, type DynamicModule } from '@nestjs/common';
import { SuppressionList } from '@mailroom/jetstream';
import { SENDER_CONFIG, type SenderConfig } from './config/sender.config';
import { ProviderMetrics } from './providers/provider.metrics';
import { ProviderRegistry } from './providers/provider-registry';
import { NewsletterCaps } from './rate-limits/newsletter-caps';
import { SendingShutdown } from './rate-limits/sending-shutdown';
import { BatchSender } from './sending/batch-sender.service';
import { BatchHandler } from './sending/batch.handler';
import { ContentCache } from './sending/content-cache';
import { RecipientSender } from './sending/recipient-sender.service';
import { SenderMetrics } from './sending/sender.metrics';
import { SendScheduler } from './scheduling/send-scheduler';
import { SlotAnnouncer } from './scheduling/slot-announcer';
import { BatchRebalancer } from './scheduling/batch-rebalancer';

@Module({})
export class AppModule {
  static register(config: SenderConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [BatchHandler],
      providers: [
        { provide: SENDER_CONFIG, useValue: config },
        BatchSender,
        RecipientSender,
        ContentCache,
        ProviderRegistry,
        ProviderMetrics,
        NewsletterCaps,
        SendingShutdown,
        SuppressionList,
        SenderMetrics,
        SendScheduler,
        SlotAnnouncer,
        BatchRebalancer,
      ],
    };
  }
}
