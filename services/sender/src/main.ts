import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { topology } from '@mailroom/contracts';
import { loadConfigOrExit } from '@mailroom/config';
import { connectJetStreamTransport } from '@mailroom/jetstream';
import { MetricsRegistry, installGracefulShutdown } from '@mailroom/observability';
import { AppModule } from './app.module';
import { loadSenderConfig } from './config/sender.config';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('sender', () => loadSenderConfig());
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  for (const notice of config.notices) logger.warn(notice);
  connectJetStreamTransport(app, {
    metrics: app.get(MetricsRegistry),
    consumers: [
      {
        stream: 'batches',
        durable: topology(config.namespace).consumers.sender,
        // Capped by the providers' rates (see batchConcurrency): no more batches held than can be
        // sent within one ack wait.
        concurrency: config.concurrency,
        ackWaitMs: config.ackWaitMs,
        // The ledger decides when a recipient stops being retried (attempts, maximum deferral
        // age); maxDeliver is the backstop, sized not to cut that short (see batchMaxDeliver).
        retry: {
          maxDeliver: config.batchMaxDeliver,
          baseDelayMs: config.retryBaseDelayMs,
          maxDelayMs: config.retryMaxDelayMs,
        },
      },
    ],
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger });
  await app.startAllMicroservices();
  await app.listen(config.httpPort);
  logger.log(`Sender listening on :${config.httpPort} (namespace ${config.namespace})`);
}

void bootstrap();
