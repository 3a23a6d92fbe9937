import 'reflect-metadata';
import { Events } from '@mailroom/contracts';
import { bootService } from '@mailroom/service';
import { AppModule } from './app.module';
import { loadTrackerConfig } from './config/tracker.config';

void bootService({
  service: 'tracker',
  loadConfig: () => loadTrackerConfig(),
  module: (config) => AppModule.register(config),
  consumers: (config, names) => [
    {
      stream: 'events',
      durable: names.consumers.tracker,
      concurrency: config.concurrency,
      ackWaitMs: 30_000,
      retry: config.retry.tracker,
      events: [
        Events.NewsletterSplitStarted,
        Events.NewsletterSplit,
        Events.NewsletterSplitFailed,
        Events.NewsletterRoundStarted,
        Events.NewsletterCancelled,
        Events.BatchCompleted,
        Events.BatchProgressed,
        Events.FeedbackReceived,
        Events.EngagementRecorded,
        Events.UnsubscribeRecorded,
      ],
    },
    {
      // Webhooks on a consumer of their own: a slow or failing receiver holds up nothing else.
      stream: 'events',
      durable: names.consumers.webhooks,
      concurrency: 8,
      ackWaitMs: 60_000,
      retry: config.retry.webhooks,
      events: [Events.NewsletterCompleted, Events.NewsletterProgressed],
    },
    {
      stream: 'deadLetters',
      durable: names.consumers.deadLetters,
      concurrency: 4,
      ackWaitMs: 30_000,
      retry: config.retry.deadLetters,
    },
    {
      stream: 'advisories',
      durable: names.consumers.advisories,
      concurrency: 2,
      ackWaitMs: 30_000,
      retry: config.retry.advisories,
    },
  ],
  queryQueueGroup: (config) => `${config.namespace}-tracker`,
});
