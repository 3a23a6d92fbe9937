import { Module, type DynamicModule } from '@nestjs/common';
import { JetStreamModule, NatsHealthIndicator, SuppressionList } from '@mailroom/jetstream';
import { ObservabilityModule } from '@mailroom/observability';
import { SENDER_CONFIG, type SenderConfig } from './config/sender.config';
import { BatchSender } from './sending/batch-sender.service';
import { BatchHandler } from './sending/batch.handler';
import { ContentCache } from './sending/content-cache';
import { SenderMetrics } from './sending/sender.metrics';
import { Mailer } from './sending/smtp-mailer.provider';

@Module({})
export class AppModule {
  static register(config: SenderConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        JetStreamModule.forRoot({
          servers: config.natsUrl,
          namespace: config.namespace,
          name: 'mailroom-sender',
          replicas: config.streamReplicas,
        }),
        ObservabilityModule.forRoot({ service: 'sender', logLevel: config.logLevel, readiness: NatsHealthIndicator }),
      ],
      controllers: [BatchHandler],
      providers: [
        { provide: SENDER_CONFIG, useValue: config },
        BatchSender,
        ContentCache,
        Mailer,
        SuppressionList,
        SenderMetrics,
      ],
    };
  }
}
