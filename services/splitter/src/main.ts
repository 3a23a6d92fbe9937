import 'reflect-metadata';
import { bootService } from '@mailroom/service';
import { AppModule } from './app.module';
import { loadSplitterConfig } from './config/splitter.config';

void bootService({
  service: 'splitter',
  loadConfig: () => loadSplitterConfig(),
  module: (config) => AppModule.register(config),
  consumers: (config, names) => [
    {
      stream: 'requests',
      durable: names.consumers.splitter,
      concurrency: config.concurrency,
      // A split streams the whole list; the transport extends the deadline while it runs.
      ackWaitMs: 60_000,
      retry: config.retry.splitter,
    },
  ],
});
