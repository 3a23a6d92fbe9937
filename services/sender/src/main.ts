import 'reflect-metadata';
import { bootService } from '@mailroom/service';
import { AppModule } from './app.module';
import { loadSenderConfig } from './config/sender.config';

void bootService({
  service: 'sender',
  loadConfig: () => loadSenderConfig(),
  module: (config) => AppModule.register(config),
  consumers: (config, names) => [
    {
      stream: 'batches',
      durable: names.consumers.sender,
      // Capped by the providers' rates (see batchConcurrency): no more batches held than can be
      // sent within one ack wait. Each replica holds this many; there is no shared cap, so R
      // replicas hold R × this many batches at once.
      concurrency: config.concurrency,
      ackWaitMs: config.ackWaitMs,
      // SMTP attempts and the deferral age are counted per recipient in the ledger; max_deliver
      // only has to outlast them (see batchMaxDeliver).
      retry: config.retry.sender,
    },
  ],
  configure: (_app, config, logger) => {
    for (const notice of config.notices) logger.warn(notice);
  },
});
