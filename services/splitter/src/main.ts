import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { topology } from '@mailroom/contracts';
import { loadConfigOrExit } from '@mailroom/config';
import { connectJetStreamTransport } from '@mailroom/jetstream';
import { MetricsRegistry, installGracefulShutdown } from '@mailroom/observability';
import { AppModule } from './app.module';
import { loadSplitterConfig } from './config/splitter.config';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('splitter', () => loadSplitterConfig());
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  connectJetStreamTransport(app, {
    metrics: app.get(MetricsRegistry),
    consumers: [
      {
        stream: 'requests',
        durable: topology(config.namespace).consumers.splitter,
        concurrency: config.concurrency,
        // A split streams the whole list; the transport extends the deadline while it runs.
        ackWaitMs: 60_000,
        retry: { maxDeliver: 10, baseDelayMs: 2_000, maxDelayMs: 60_000 },
      },
    ],
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger });
  await app.startAllMicroservices();
  await app.listen(config.httpPort);
  logger.log(`Splitter listening on :${config.httpPort} (namespace ${config.namespace})`);
}

void bootstrap();
