import { ManualClock } from '@mailroom/testing';
import type { GatewayConfig } from '../config/gateway.config';
import { RateLimitedError } from '../http/api-errors';
import { RequestRateLimiter } from './request-rate-limiter';

const limiter = (perMinute: number, burst: number, clock: ManualClock) =>
  new RequestRateLimiter({ rateLimit: { perMinute, burst } } as GatewayConfig, clock);

const outcome = (run: () => void): number | 'ok' => {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof RateLimitedError) return error.retryAfterSeconds;
    throw error;
  }
};

describe('RequestRateLimiter', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const clock = new ManualClock(0);
    const limits = limiter(60, 3, clock); // one a second, bursts of 3
    const results = Array.from({ length: 4 }, () => outcome(() => limits.consume('ops')));
    expect(results).toEqual(['ok', 'ok', 'ok', 1]);
    clock.advance(1_000);
    expect(outcome(() => limits.consume('ops'))).toBe('ok');
  });

  it.each([
    // [per minute, ms waited after the burst, expected Retry-After]
    [6, 0, 10],
    [6, 9_001, 1],
    [1, 0, 60],
    [120, 0, 1],
  ])('at %i/min, %i ms after the burst, says retry in %i s', (perMinute, waitedMs, retryAfter) => {
    const clock = new ManualClock(0);
    const limits = limiter(perMinute, 1, clock);
    limits.consume('ops');
    clock.advance(waitedMs);
    expect(outcome(() => limits.consume('ops'))).toBe(retryAfter);
  });

  it('keeps one budget per key', () => {
    const clock = new ManualClock(0);
    const limits = limiter(60, 1, clock);
    limits.consume('a');
    expect(outcome(() => limits.consume('b'))).toBe('ok');
    expect(outcome(() => limits.consume('a'))).toBe(1);
  });

  it('is off at 0 per minute', () => {
    const limits = limiter(0, 1, new ManualClock(0));
    expect(Array.from({ length: 100 }, () => outcome(() => limits.consume('a'))).every((r) => r === 'ok')).toBe(true);
  });

  it('says the limit in its message', () => {
    const limits = limiter(30, 1, new ManualClock(0));
    limits.consume('a');
    expect(() => limits.consume('a')).toThrow('Rate limit of 30 requests per minute (bursts of 1) reached for this API key; retry in 2 s');
  });
});
