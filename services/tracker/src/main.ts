import 'reflect-metadata';
import { Events } from '@mailroom/contracts';
import { bootService } from '@mailroom/service';
import { AppModule } from './app.module';
import { loadTrackerConfig } from './config/tracker.config';
import { RecipientWebhooks } from './webhooks/recipient-webhooks.service';

/** Recipient events held at once by this process's recipient webhooks (ten full batches). */
const RECIPIENT_WEBHOOK_IN_FLIGHT = 1_000;

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
      // Recipient events posted in batches to the newsletters that asked (`recipientWebhooks`):
      // each message waits in its batch (up to 100 events or 1 s), so this many are held at once.
      stream: 'recipientEvents',
      durable: names.consumers.recipientWebhooks,
      concurrency: RECIPIENT_WEBHOOK_IN_FLIGHT,
      ackWaitMs: 60_000,
      retry: config.retry.webhooks,
      // Most events are of newsletters that did not ask: acknowledged unread, without a confirmation
      // round trip (a lost ack only repeats a skip, or a POST the receiver de-duplicates).
      gate: RecipientWebhooks,
      confirmAcks: false,
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
