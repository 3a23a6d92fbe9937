import { systemClock, type Clock } from '../clock';
import { RateLimitOptionsError } from '../rate-limit.errors';
import { assertPositive } from '../validation';

export interface AimdOptions {
  /** The configured rate: recovery never goes above it. */
  readonly maxRatePerSecond: number;
  /** Floor of the decrease (default a twentieth of the maximum). */
  readonly minRatePerSecond?: number;
  /** Multiplier applied on a throttling reply (default 0.5). */
  readonly decreaseFactor?: number;
  /** Added per recovery interval without throttling (default a twentieth of the maximum). */
  readonly increasePerSecond?: number;
  /** A recovery step needs this long since the last change and the last throttle (default 1 s). */
  readonly recoveryIntervalMs?: number;
  /**
   * Throttles this soon after a decrease do not decrease again (default 1 s): they answer sends made
   * at the old rate, and a pool of 10 connections must not divide the rate by 2¹⁰.
   */
  readonly decreaseCooldownMs?: number;
  readonly clock?: Clock;
}

/**
 * Additive-increase, multiplicative-decrease of one provider's rate: a throttling reply
 * (421/450/451/454-style) halves it, down to a floor; each interval of successes without a throttle
 * adds a fixed step, up to the configured rate. Pure: time comes from the clock, nothing runs alone.
 */
export class AimdController {
  readonly maxRatePerSecond: number;
  readonly minRatePerSecond: number;
  private rate: number;
  private lastChangeAtMs = Number.NEGATIVE_INFINITY;
  private lastDecreaseAtMs = Number.NEGATIVE_INFINITY;
  private lastThrottleAtMs = Number.NEGATIVE_INFINITY;
  private readonly decreaseFactor: number;
  private readonly increasePerSecond: number;
  private readonly recoveryIntervalMs: number;
  private readonly decreaseCooldownMs: number;
  private readonly clock: Clock;

  constructor(options: AimdOptions) {
    const max = options.maxRatePerSecond;
    assertPositive('maxRatePerSecond', max);
    this.maxRatePerSecond = max;
    this.minRatePerSecond = options.minRatePerSecond ?? max / 20;
    this.decreaseFactor = options.decreaseFactor ?? 0.5;
    this.increasePerSecond = options.increasePerSecond ?? max / 20;
    this.recoveryIntervalMs = options.recoveryIntervalMs ?? 1_000;
    this.decreaseCooldownMs = options.decreaseCooldownMs ?? 1_000;
    assertPositive('minRatePerSecond', this.minRatePerSecond);
    assertPositive('increasePerSecond', this.increasePerSecond);
    assertPositive('recoveryIntervalMs', this.recoveryIntervalMs);
    if (this.minRatePerSecond > max) throw new RateLimitOptionsError('minRatePerSecond must not exceed maxRatePerSecond');
    if (!(this.decreaseFactor > 0 && this.decreaseFactor < 1)) {
      throw new RateLimitOptionsError(`decreaseFactor must be between 0 and 1, got ${this.decreaseFactor}`);
    }
    if (!(this.decreaseCooldownMs >= 0)) throw new RateLimitOptionsError('decreaseCooldownMs must not be negative');
    this.rate = max;
    this.clock = options.clock ?? systemClock;
  }

  /** The rate to apply now, tokens per second. */
  get ratePerSecond(): number {
    return this.rate;
  }

  /** The provider throttled us. Returns true when the rate went down. */
  recordThrottle(): boolean {
    const nowMs = this.clock.now();
    this.lastThrottleAtMs = nowMs;
    if (nowMs - this.lastDecreaseAtMs < this.decreaseCooldownMs) return false;
    const next = Math.max(this.minRatePerSecond, this.rate * this.decreaseFactor);
    this.lastDecreaseAtMs = nowMs;
    return this.change(next, nowMs);
  }

  /** The provider accepted a message. Returns true when the rate went up (one step per interval). */
  recordSuccess(): boolean {
    if (this.rate >= this.maxRatePerSecond) return false;
    const nowMs = this.clock.now();
    const quietSinceMs = Math.max(this.lastChangeAtMs, this.lastThrottleAtMs);
    if (nowMs - quietSinceMs < this.recoveryIntervalMs) return false;
    return this.change(Math.min(this.maxRatePerSecond, this.rate + this.increasePerSecond), nowMs);
  }

  private change(next: number, nowMs: number): boolean {
    if (next === this.rate) return false;
    this.rate = next;
    this.lastChangeAtMs = nowMs;
    return true;
  }
}
