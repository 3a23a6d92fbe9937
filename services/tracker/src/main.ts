import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Events, topology } from '@mailroom/contracts';
import { loadConfigOrExit } from '@mailroom/config';
import { connectJetStreamTransport } from '@mailroom/jetstream';
import { MetricsRegistry, installGracefulShutdown } from '@mailroom/observability';
import { AppModule } from './app.module';
import { loadTrackerConfig } from './config/tracker.config';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('tracker', () => loadTrackerConfig());
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const t = topology(config.namespace);
  connectJetStreamTransport(app, {
    metrics: app.get(MetricsRegistry),
    consumers: [
      {
        stream: 'events',
        durable: t.consumers.tracker,
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
        durable: t.consumers.webhooks,
        concurrency: 8,
        ackWaitMs: 60_000,
        retry: { maxDeliver: 1_000, baseDelayMs: 2_000, maxDelayMs: 300_000 },
        events: [Events.NewsletterCompleted, Events.NewsletterProgressed],
      },
      {
        stream: 'deadLetters',
        durable: t.consumers.deadLetters,
        concurrency: 4,
        ackWaitMs: 30_000,
        retry: { maxDeliver: 20, baseDelayMs: 1_000, maxDelayMs: 60_000 },
      },
      {
        stream: 'advisories',
        durable: t.consumers.advisories,
        concurrency: 2,
        ackWaitMs: 30_000,
        retry: { maxDeliver: 20, baseDelayMs: 1_000, maxDelayMs: 60_000 },
      },
    ],
    queryQueueGroup: `${config.namespace}-tracker`,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger });
  await app.startAllMicroservices();
  await app.listen(config.httpPort);
  logger.log(`Tracker listening on :${config.httpPort} (namespace ${config.namespace})`);
}

void bootstrap();
