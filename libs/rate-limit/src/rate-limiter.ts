import { assertPositive } from './validation';
import type { Clock } from './clock';

export interface TakeOptions {
  /** Stops waiting (the promise rejects with the signal's reason), e.g. at shutdown. */
  readonly signal?: AbortSignal;
}

/**
 * What a sender needs from a limiter, local or shared. `take` resolves with the clock time at which
 * the tokens were taken: the instant they count against the limit (handy for metrics and tests).
 */
export interface RateLimiter {
  /** The rate in force now (after AIMD), tokens per second. */
  readonly ratePerSecond: number;
  /** Takes `count` tokens if they are available right now, without waiting or I/O. */
  tryTake(count?: number): boolean;
  take(count?: number, options?: TakeOptions): Promise<number>;
  /** Changes the rate from now on; tokens already in the bucket are neither lost nor minted. */
  setRatePerSecond(ratePerSecond: number): void;
}

/** For a provider without a configured rate (`SMTP_RATE_PER_SECOND` unset): never waits. */
export class UnlimitedRateLimiter implements RateLimiter {
  readonly ratePerSecond = Number.POSITIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  tryTake(): boolean {
    return true;
  }

  take(): Promise<number> {
    return Promise.resolve(this.clock.now());
  }

  setRatePerSecond(ratePerSecond: number): void {
    assertPositive('ratePerSecond', ratePerSecond);
  }
}
