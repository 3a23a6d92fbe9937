import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { topology } from '@mailroom/contracts';
import { loadConfigOrExit } from '@mailroom/config';
import { connectJetStreamTransport } from '@mailroom/jetstream';
import { installGracefulShutdown } from '@mailroom/observability';
import { AppModule } from './app.module';
import { loadTrackerConfig } from './config/tracker.config';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('tracker', () => loadTrackerConfig());
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const t = topology(config.namespace);
  connectJetStreamTransport(app, {
    consumers: [
      {
        stream: 'events',
        durable: t.consumers.tracker,
        concurrency: config.concurrency,
        ackWaitMs: 30_000,
        retry: { maxDeliver: 20, baseDelayMs: 500, maxDelayMs: 30_000 },
        // The events stream also carries facts for other consumers (newsletter.completed).
        ignoreUnhandled: true,
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
