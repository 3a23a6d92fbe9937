import type { AimdController } from '../aimd/aimd-controller';
import type { CircuitBreaker } from '../breaker/circuit-breaker';
import type { RateLimiter } from '../rate-limiter';
import type { ProviderSignal } from './provider-signal';

export interface ProviderLimiterOptions {
  readonly name: string;
  /** Lower is preferred (default 0). */
  readonly priority?: number;
  /** Usually a `SharedTokenBucket` over `KvLeaseStore(kv, name)`. */
  readonly limiter: RateLimiter;
  readonly breaker: CircuitBreaker;
  /** Absent for a provider without a configured rate. */
  readonly aimd?: AimdController;
}

/**
 * One provider's limits in one place: its rate limiter, its circuit breaker and its AIMD controller,
 * fed by one `record` call per SMTP outcome so the three never disagree about what happened.
 */
export class ProviderLimiter {
  readonly name: string;
  readonly priority: number;
  readonly limiter: RateLimiter;
  readonly breaker: CircuitBreaker;
  readonly aimd: AimdController | undefined;

  constructor(options: ProviderLimiterOptions) {
    this.name = options.name;
    this.priority = options.priority ?? 0;
    this.limiter = options.limiter;
    this.breaker = options.breaker;
    this.aimd = options.aimd;
    if (this.aimd) this.limiter.setRatePerSecond(this.aimd.ratePerSecond);
  }

  /** The rate in force now (a metric). */
  get effectiveRatePerSecond(): number {
    return this.limiter.ratePerSecond;
  }

  record(signal: ProviderSignal): void {
    switch (signal) {
      case 'accepted':
        this.breaker.recordSuccess();
        if (this.aimd?.recordSuccess()) this.limiter.setRatePerSecond(this.aimd.ratePerSecond);
        return;
      case 'rejected':
        // It answered: the connection works, and a refusal says nothing about the rate.
        this.breaker.recordSuccess();
        return;
      case 'throttled':
        this.breaker.recordFailure();
        if (this.aimd?.recordThrottle()) this.limiter.setRatePerSecond(this.aimd.ratePerSecond);
        return;
      case 'unreachable':
        this.breaker.recordFailure();
        return;
    }
  }
}
