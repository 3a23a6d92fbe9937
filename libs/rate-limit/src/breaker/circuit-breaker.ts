import { systemClock, type Clock } from '../clock';
import { assertPositive, assertPositiveInteger } from '../validation';

type BreakerState = 'closed' | 'half-open' | 'open';

/** For a Prometheus gauge: 0 closed, 1 half-open, 2 open. */
const BREAKER_STATE_CODES = { closed: 0, 'half-open': 1, open: 2 } as const satisfies Record<BreakerState, number>;

export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly atMs: number;
  /** Consecutive failures counted when the transition happened. */
  readonly consecutiveFailures: number;
}

type BreakerListener = (transition: BreakerTransition) => void;

export interface CircuitBreakerOptions {
  /** Consecutive failures (connection-level or throttling) that open the breaker. */
  readonly failureThreshold: number;
  /** How long an open breaker refuses everything before it lets a probe through. */
  readonly cooldownMs: number;
  /** Probes allowed at once while half-open (default 1). */
  readonly halfOpenProbes?: number;
  readonly clock?: Clock;
}

/**
 * A circuit breaker for one provider. Closed: everything goes. After `failureThreshold` failures
 * in a row: open, nothing goes. After `cooldownMs`: half-open, a probe goes; its success closes the
 * breaker, its failure re-opens it for another cooldown. Time is read from the clock on each call
 * (open → half-open happens on the first look after the cooldown); no timer runs.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAtMs = 0;
  /** Start times of probes in flight; a probe that never reports frees its slot after a cooldown. */
  private probes: number[] = [];
  private readonly listeners = new Set<BreakerListener>();
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly halfOpenProbes: number;
  private readonly clock: Clock;

  constructor(options: CircuitBreakerOptions) {
    assertPositiveInteger('failureThreshold', options.failureThreshold);
    assertPositive('cooldownMs', options.cooldownMs);
    this.failureThreshold = options.failureThreshold;
    this.cooldownMs = options.cooldownMs;
    this.halfOpenProbes = options.halfOpenProbes ?? 1;
    assertPositiveInteger('halfOpenProbes', this.halfOpenProbes);
    this.clock = options.clock ?? systemClock;
  }

  get state(): BreakerState {
    this.advance();
    return this.current;
  }

  get stateCode(): 0 | 1 | 2 {
    return BREAKER_STATE_CODES[this.state];
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Milliseconds until an open breaker lets a probe through; 0 when it is not open. */
  msUntilProbe(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAtMs + this.cooldownMs - this.clock.now());
  }

  /**
   * May a request go to this provider now? Closed: yes. Half-open: yes while a probe slot is free
   * (the caller's request is the probe and must report its outcome). Open: no.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    const nowMs = this.clock.now();
    this.probes = this.probes.filter((startedAtMs) => nowMs - startedAtMs < this.cooldownMs);
    if (this.probes.length >= this.halfOpenProbes) return false;
    this.probes.push(nowMs);
    return true;
  }

  recordSuccess(): void {
    const state = this.state;
    // While open, a success is a late answer to a request sent before it opened: no news.
    if (state === 'open') return;
    this.failures = 0;
    if (state === 'half-open') this.moveTo('closed');
  }

  recordFailure(): void {
    const state = this.state;
    // While open, failures are late answers too; they must not stretch the cooldown.
    if (state === 'open') return;
    this.failures += 1;
    if (state === 'half-open' || this.failures >= this.failureThreshold) this.moveTo('open');
  }

  /** Calls `listener` on every transition (log it, count it); returns the unsubscribe function. Listeners must not throw. */
  onTransition(listener: BreakerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private advance(): void {
    if (this.current === 'open' && this.clock.now() - this.openedAtMs >= this.cooldownMs) this.moveTo('half-open');
  }

  private moveTo(to: BreakerState): void {
    const from = this.current;
    const atMs = this.clock.now();
    this.current = to;
    this.probes = [];
    if (to === 'open') this.openedAtMs = atMs;
    const transition: BreakerTransition = { from, to, atMs, consecutiveFailures: this.failures };
    for (const listener of this.listeners) listener(transition);
  }
}
