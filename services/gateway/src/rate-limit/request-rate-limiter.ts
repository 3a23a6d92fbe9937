import { Inject, Injectable, Logger } from '@nestjs/common';
import { TokenBucket, type Clock } from '@mailroom/rate-limit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { RateLimitedError } from '../http/api-errors';

export const RATE_LIMIT_CLOCK = Symbol('RateLimitClock');

/**
 * Requests per API key: a token bucket per key name holding `RATE_LIMIT_BURST` tokens, refilled at
 * `RATE_LIMIT_PER_MINUTE`. In memory and per gateway replica: N replicas behind a load balancer
 * allow up to N times the rate (see the README). Keys are the configured ones, so the map is bounded.
 */
@Injectable()
export class RequestRateLimiter {
  private readonly logger = new Logger(RequestRateLimiter.name);
  private readonly buckets = new Map<string, TokenBucket>();
  /** Test sends per tenant (TEST_SENDS_PER_MINUTE): tenants are the configured ones, so bounded too. */
  private readonly testBuckets = new Map<string, TokenBucket>();
  /** Keys over their limit right now: logged once when they get there, not once per refused request. */
  private readonly limited = new Set<string>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(RATE_LIMIT_CLOCK) private readonly clock: Clock,
  ) {}

  /** Takes one request from `keyName`'s budget, or throws RateLimitedError with the wait. */
  consume(keyName: string): void {
    const { perMinute, burst } = this.config.rateLimit;
    if (perMinute === 0) return;
    const bucket = this.bucketOf(keyName, perMinute, burst);
    if (bucket.tryTake()) {
      this.limited.delete(keyName);
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(bucket.msUntilAvailable() / 1000));
    if (!this.limited.has(keyName)) {
      this.limited.add(keyName);
      this.logger.warn({ apiKey: keyName, perMinute, burst }, 'API key reached its rate limit; refusing with 429 until tokens refill');
    }
    throw new RateLimitedError(
      `Rate limit of ${perMinute} requests per minute (bursts of ${burst}) reached for this API key; retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }

  /**
   * Takes one test send from `tenant`'s own budget (TEST_SENDS_PER_MINUTE, all its keys together,
   * per gateway replica, bursts of as many), on top of the key's request budget: a test send
   * mails whoever it names at once, so it gets a small allowance of its own.
   */
  consumeTestSend(tenant: string): void {
    const perMinute = this.config.testSendsPerMinute;
    if (perMinute === 0) return;
    const bucket = this.bucketOf(`test:${tenant}`, perMinute, perMinute, this.testBuckets);
    if (bucket.tryTake()) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(bucket.msUntilAvailable() / 1000));
    throw new RateLimitedError(
      `Test sends are limited to ${perMinute} per minute per tenant (TEST_SENDS_PER_MINUTE); retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }

  private bucketOf(name: string, perMinute: number, burst: number, buckets = this.buckets): TokenBucket {
    let bucket = buckets.get(name);
    if (!bucket) {
      bucket = new TokenBucket({ ratePerSecond: perMinute / 60, burst, clock: this.clock });
      buckets.set(name, bucket);
    }
    return bucket;
  }
}
