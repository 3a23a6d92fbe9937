import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Events, eventFilter } from '@mailroom/contracts';
import { bootService } from '@mailroom/service';
import { AppModule } from './app.module';
import { loadFeedbackConfig } from './config/feedback.config';

void bootService<ReturnType<typeof loadFeedbackConfig>, NestExpressApplication>({
  service: 'feedback',
  loadConfig: () => loadFeedbackConfig(),
  module: (config) => AppModule.register(config),
  // Webhook bodies are kept as bytes: SendGrid's signature is over the exact body.
  appOptions: { bodyParser: false },
  consumers: (config, names) => [
    {
      stream: 'events',
      durable: names.consumers.feedback,
      // Only its own events: the events stream carries every batch result too.
      filterSubject: eventFilter(names, Events.FeedbackReceived),
      concurrency: 4,
      ackWaitMs: 30_000,
      retry: config.retry.feedback,
      events: [Events.FeedbackReceived],
    },
  ],
  configure: (app, config, logger) => {
    app.useBodyParser('raw', { type: () => true, limit: config.webhooks.maxBytes });
    if (config.developmentSecret) {
      logger.warn(
        'BOUNCE_SECRET is not set: bounce addresses are checked with the public development secret, so anyone can forge a bounce. ' +
          "Set it (the senders' value) in any deployment reachable by others; production refuses to start without it.",
      );
    }
  },
  listening: (config) => `(SMTP :${config.smtpPort} for @${config.bounceDomain})`,
});
