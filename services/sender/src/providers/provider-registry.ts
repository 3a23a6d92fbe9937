import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { RateLimitBuckets } from '@mailroom/jetstream';
import { SmtpMailer } from '@mailroom/mailer';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';
import { buildProviderChannel } from './build-provider-channel';
import type { ProviderChannel } from './provider-channel';

/**
 * The configured SMTP providers of this process, each a pooled SmtpMailer with its shared token
 * bucket (RateLimitBuckets: one per provider for every replica), circuit breaker and AIMD.
 * Transports are closed after the transport stopped handing out batches.
 */
@Injectable()
export class ProviderRegistry implements OnApplicationShutdown {
  readonly channels: readonly ProviderChannel[];
  private readonly logger = new Logger('Providers');

  constructor(@Inject(SENDER_CONFIG) config: SenderConfig, buckets: RateLimitBuckets) {
    this.channels = config.providers.map((provider) =>
      buildProviderChannel(provider, {
        sharedBucket: (name) => buckets.provider(name),
        transport: (p) => new SmtpMailer({ url: p.url, ...p.pool, dkim: config.dkim }),
      }),
    );
    for (const channel of this.channels) {
      channel.breaker.onTransition(({ from, to, consecutiveFailures }) => {
        const context = { provider: channel.name, from, to, consecutiveFailures };
        if (to === 'open') this.logger.warn(context, 'Circuit breaker opened: traffic fails over');
        else this.logger.log(context, `Circuit breaker ${to}`);
      });
    }
    this.logger.log(
      {
        providers: config.providers.map((p) => ({
          name: p.name,
          url: p.maskedUrl,
          ratePerSecond: p.ratePerSecond ?? 'unlimited',
          burst: p.burst,
          priority: p.priority,
          maxConnections: p.pool.maxConnections,
        })),
        dkimDomains: config.dkim.map((k) => `${k.selector}._domainkey.${k.domain}`),
      },
      'SMTP providers',
    );
  }

  onApplicationShutdown(): void {
    for (const channel of this.channels) channel.close();
  }
}
