import { Module, type DynamicModule } from '@nestjs/common';
import { TRACKER_CONFIG, type TrackerConfig } from './config/tracker.config';
import { JetStreamStatsCollector } from './metrics/jetstream-stats.collector';
import { NewsletterStatusCollector } from './metrics/newsletter-status.collector';
import { DeadBatchAccounting } from './tracking/dead-batch-accounting';
import { NewsletterRecords } from './tracking/newsletter-records';
import { NewsletterTracker } from './tracking/newsletter-tracker.service';
import { TrackerMetrics } from './tracking/tracker.metrics';
import { TrackingHandler } from './tracking/tracking.handler';
import { WebhookDeliveries } from './webhooks/webhook-deliveries';
import { WebhookHandler } from './webhooks/webhook.handler';
import { WebhookNotifier } from './webhooks/webhook-notifier.service';

@Module({})
export class AppModule {
  static register(config: TrackerConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [TrackingHandler, WebhookHandler],
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        DeadBatchAccounting,
        JetStreamStatsCollector,
        NewsletterStatusCollector,
        NewsletterRecords,
        NewsletterTracker,
        TrackerMetrics,
        WebhookDeliveries,
        WebhookNotifier,
      ],
    };
  }
}
