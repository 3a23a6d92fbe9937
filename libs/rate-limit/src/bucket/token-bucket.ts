import { abortable, realSleep, systemClock, type Clock, type Sleep } from '../clock';
import type { RateLimiter, TakeOptions } from '../rate-limiter';
import { assertPositive, assertTokenCount } from '../validation';
import { hasTokens, msUntilTokens, refill, withdraw, type BucketLevel } from './refill';

export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  /** Capacity: the most tokens available at once, so over any window of W ms at most `burst + rate × W / 1000` are taken. */
  readonly burst: number;
  /** Tokens at start; a full bucket (`burst`) by default. */
  readonly initialTokens?: number;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

/**
 * A token bucket inside one process (the per-process building block, and the reference the shared
 * bucket's maths is tested against). Refill is computed on demand from the clock: no timer runs.
 */
export class TokenBucket implements RateLimiter {
  readonly burst: number;
  private rate: number;
  private level: BucketLevel;
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(options: TokenBucketOptions) {
    assertPositive('ratePerSecond', options.ratePerSecond);
    assertPositive('burst', options.burst);
    this.burst = options.burst;
    this.rate = options.ratePerSecond;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    const initial = Math.min(options.burst, Math.max(0, options.initialTokens ?? options.burst));
    this.level = { tokens: initial, updatedAtMs: this.clock.now() };
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Tokens available now (fractional while refilling). */
  availableTokens(): number {
    return this.current().tokens;
  }

  tryTake(count = 1): boolean {
    assertTokenCount(count, this.burst);
    const level = this.current();
    this.level = level;
    if (!hasTokens(level.tokens, count)) return false;
    this.level = withdraw(level, count);
    return true;
  }

  /** Milliseconds until `count` tokens are available; 0 when they are now. */
  msUntilAvailable(count = 1): number {
    assertTokenCount(count, this.burst);
    return msUntilTokens(this.current().tokens, count, this.rate);
  }

  /**
   * Waits until `count` tokens are available and takes them. Concurrent callers each re-check after
   * their sleep, so whoever wakes first wins; nobody ever takes tokens that are not there.
   */
  async take(count = 1, options: TakeOptions = {}): Promise<number> {
    assertTokenCount(count, this.burst);
    for (;;) {
      options.signal?.throwIfAborted();
      if (this.tryTake(count)) return this.clock.now();
      await abortable(this.sleep(this.msUntilAvailable(count), options.signal), options.signal);
    }
  }

  /** Settles the tokens earned at the old rate up to now, then refills at the new one. */
  setRatePerSecond(ratePerSecond: number): void {
    assertPositive('ratePerSecond', ratePerSecond);
    this.level = this.current();
    this.rate = ratePerSecond;
  }

  private current(): BucketLevel {
    return refill(this.level, { ratePerSecond: this.rate, capacity: this.burst }, this.clock.now());
  }
}
