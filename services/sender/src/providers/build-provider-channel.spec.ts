import { DEFAULT_SMTP_POOL } from '@mailroom/mailer';
import { InMemoryLeaseStore, planLeases, SharedTokenBucket, UnlimitedRateLimiter } from '@mailroom/rate-limit';
import type { ProviderConfig } from '../config/provider.config';
import { buildProviderChannel, leaseChunkFor } from './build-provider-channel';

const config = (extra: Partial<ProviderConfig>): ProviderConfig => ({
  name: 'p',
  url: 'smtp://h:25',
  maskedUrl: 'smtp://h:25',
  priority: 0,
  pool: DEFAULT_SMTP_POOL,
  breaker: { failureThreshold: 5, cooldownMs: 30_000 },
  ...extra,
});

const noTransport = () => ({ compose: () => Promise.reject(new Error('unused')), connect: () => Promise.reject(new Error('unused')), tryConnect: () => undefined, close: () => undefined });

describe('buildProviderChannel', () => {
  it("shares the provider's bucket when the provider has a rate, with AIMD", () => {
    const names: string[] = [];
    const channel = buildProviderChannel(config({ name: 'ses', ratePerSecond: 14, burst: 3 }), {
      sharedBucket: (name) => (names.push(name), new InMemoryLeaseStore()),
      transport: noTransport,
    });
    expect(names).toEqual(['ses']);
    expect(channel.limits.limiter).toBeInstanceOf(SharedTokenBucket);
    expect(channel.limits.aimd?.maxRatePerSecond).toBe(14);
  });

  it('has no limit and no AIMD without a rate', () => {
    const channel = buildProviderChannel(config({}), { sharedBucket: () => new InMemoryLeaseStore(), transport: noTransport });
    expect(channel.limits.limiter).toBeInstanceOf(UnlimitedRateLimiter);
    expect(channel.limits.aimd).toBeUndefined();
  });
});

describe('leaseChunkFor', () => {
  it.each([
    // rate, burst, connections → chunk
    [50, 10, 5, 5], // the plan's own chunk is already small
    [100, 20, 5, 10],
    [500, 100, 5, 10], // plan: 50, but 5 connections spend at most ~10 at once
    [500, 100, 20, 40],
    [14, 3, 5, 1],
  ])('%p/s burst %p, %p connections → %p', (rate, burst, connections, chunk) => {
    expect(leaseChunkFor(rate, burst, connections)).toBe(chunk);
  });

  it('leaves a longer time-to-live from the same burst', () => {
    const plain = planLeases({ ratePerSecond: 500, burst: 100 });
    const sized = planLeases({ ratePerSecond: 500, burst: 100, leaseChunk: leaseChunkFor(500, 100, 5) });
    expect([plain.leaseTtlMs, sized.leaseTtlMs]).toEqual([50, 90]);
  });
});
