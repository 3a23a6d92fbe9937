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
      retry: { maxDeliver: 20, baseDelayMs: 500, maxDelayMs: 30_000 },
      events: [
        Events.NewsletterSplitStarted,
        Events.NewsletterSplit,
        Events.NewsletterSplitFailed,
        Events.NewsletterRoundStarted,
        Events.NewsletterCancelled,
        Events.BatchCompleted,
      ],
    },
    {
      // Webhooks on a consumer of their own: a slow or failing receiver holds up nothing else.
      stream: 'events',
      durable: names.consumers.webhooks,
      concurrency: 8,
      ackWaitMs: 60_000,
      retry: { maxDeliver: 1_000, baseDelayMs: 2_000, maxDelayMs: 300_000 },
      events: [Events.NewsletterCompleted, Events.NewsletterProgressed],
    },
    {
      stream: 'deadLetters',
      durable: names.consumers.deadLetters,
      concurrency: 4,
      ackWaitMs: 30_000,
      retry: { maxDeliver: 20, baseDelayMs: 1_000, maxDelayMs: 60_000 },
    },
    {
      stream: 'advisories',
      durable: names.consumers.advisories,
      concurrency: 2,
      ackWaitMs: 30_000,
      retry: { maxDeliver: 20, baseDelayMs: 1_000, maxDelayMs: 60_000 },
    },
  ],
  queryQueueGroup: (config) => `${config.namespace}-tracker`,
});
