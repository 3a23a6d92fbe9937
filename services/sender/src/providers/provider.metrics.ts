import { Injectable } from '@nestjs/common';
import { MetricsRegistry, type Counter, type Gauge } from '@mailroom/observability';
import { SharedTokenBucket, type SharedBucketStats } from '@mailroom/rate-limit';
import type { ProviderChannel } from './provider-channel';
import { ProviderRegistry } from './provider-registry';

/**
 * Each provider's rates and breaker, read at scrape time. Labels are provider names only (a
 * handful, from the configuration): never addresses or newsletter ids. A provider without a
 * configured rate reports +Inf.
 */
@Injectable()
export class ProviderMetrics {
  readonly effectiveRate: Gauge<'provider'>;
  readonly configuredRate: Gauge<'provider'>;
  readonly breakerState: Gauge<'provider'>;
  readonly leasedTokens: Counter<'provider'>;
  readonly expiredTokens: Counter<'provider'>;
  readonly clockBehind: Gauge<'provider'>;

  constructor(metrics: MetricsRegistry, registry: ProviderRegistry) {
    const channels = registry.channels;
    this.effectiveRate = metrics.gauge({
      name: 'mailroom_provider_effective_rate_per_second',
      help: 'Rate in force for the provider in this process, after adaptive throttling (AIMD)',
      labelNames: ['provider'],
      collect() {
        for (const c of channels) this.set({ provider: c.name }, c.limits.effectiveRatePerSecond);
      },
    });
    this.configuredRate = metrics.gauge({
      name: 'mailroom_provider_configured_rate_per_second',
      help: 'Configured rate of the provider over all sender replicas (+Inf: no limit)',
      labelNames: ['provider'],
      collect() {
        for (const c of channels) this.set({ provider: c.name }, c.config.ratePerSecond ?? Number.POSITIVE_INFINITY);
      },
    });
    this.breakerState = metrics.gauge({
      name: 'mailroom_provider_breaker_state',
      help: "Provider's circuit breaker in this process: 0 closed, 1 half-open, 2 open",
      labelNames: ['provider'],
      collect() {
        for (const c of channels) this.set({ provider: c.name }, c.breaker.stateCode);
      },
    });
    // The shared buckets' own counters (providers with a rate only).
    const buckets = channels.flatMap((c) => (c.limits.limiter instanceof SharedTokenBucket ? [{ name: c.name, bucket: c.limits.limiter }] : []));
    this.leasedTokens = metrics.counter({
      name: 'mailroom_rate_limit_leased_tokens_total',
      help: "Tokens this process leased from the provider's shared bucket",
      labelNames: ['provider'],
      collect: counterFrom(buckets, (stats) => stats.leasedTokens),
    });
    this.expiredTokens = metrics.counter({
      name: 'mailroom_rate_limit_expired_tokens_total',
      help: 'Leased tokens dropped unspent when their lease expired (capacity lost; high means chunks too big for the demand)',
      labelNames: ['provider'],
      collect: counterFrom(buckets, (stats) => stats.expiredTokens),
    });
    this.clockBehind = metrics.gauge({
      name: 'mailroom_rate_limit_clock_behind_seconds',
      help: "How far the shared bucket's timestamp was ahead of this process's clock at its last lease (alert above ~1 s: NTP)",
      labelNames: ['provider'],
      collect() {
        for (const { name, bucket } of buckets) this.set({ provider: name }, bucket.stats().clockBehindMs / 1000);
      },
    });
  }
}

/** A collect function that moves a counter up to a cumulative value the bucket keeps itself. */
function counterFrom(
  buckets: ReadonlyArray<{ readonly name: ProviderChannel['name']; readonly bucket: SharedTokenBucket }>,
  read: (stats: SharedBucketStats) => number,
): (this: Counter<'provider'>) => void {
  const reported = new Map<string, number>();
  return function collect(this: Counter<'provider'>) {
    for (const { name, bucket } of buckets) {
      const value = read(bucket.stats());
      const delta = value - (reported.get(name) ?? 0);
      if (delta >= 0) this.inc({ provider: name }, delta);
      reported.set(name, value);
    }
  };
}
