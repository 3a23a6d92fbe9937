import { Module, type DynamicModule } from '@nestjs/common';
import { TRACKER_CONFIG, type TrackerConfig } from './config/tracker.config';
import { NewsletterIndex } from './leadership/newsletter-index';
import { TrackerLeadership } from './leadership/tracker-leadership.service';
import { JetStreamStatsCollector } from './metrics/jetstream-stats.collector';
import { NewsletterFeedbackCollector } from './metrics/newsletter-feedback.collector';
import { NewsletterStatusCollector } from './metrics/newsletter-status.collector';
import { DeadBatchAccounting } from './tracking/dead-batch-accounting';
import { NewsletterTracker } from './tracking/newsletter-tracker.service';
import { TrackerMetrics } from './tracking/tracker.metrics';
import { TrackingHandler } from './tracking/tracking.handler';
import { WebhookHandler } from './webhooks/webhook.handler';
import { PauseLimit } from './retention/pause-limit.service';
import { RecipientWebhooksHandler } from './webhooks/recipient-webhooks.handler';
import { RecipientWebhooks } from './webhooks/recipient-webhooks.service';
import { RetentionCleaner } from './retention/retention-cleaner.service';
import { CancelDeadline } from './watchdog/cancel-deadline.service';
import { LostBatchRebuilder } from './watchdog/lost-batch-rebuilder';
import { NewsletterWatchdog } from './watchdog/newsletter-watchdog.service';
import { WatchdogMetrics } from './watchdog/watchdog.metrics';
import { WebhookNotifier } from './webhooks/webhook-notifier.service';

@Module({})
export class AppModule {
  static register(config: TrackerConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [TrackingHandler, WebhookHandler, RecipientWebhooksHandler],
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        DeadBatchAccounting,
        TrackerLeadership,
        NewsletterIndex,
        JetStreamStatsCollector,
        NewsletterStatusCollector,
        NewsletterFeedbackCollector,
        NewsletterWatchdog,
        CancelDeadline,
        RetentionCleaner,
        PauseLimit,
        LostBatchRebuilder,
        WatchdogMetrics,
        NewsletterTracker,
        TrackerMetrics,
        WebhookNotifier,
        RecipientWebhooks,
      ],
    };
  }
}
