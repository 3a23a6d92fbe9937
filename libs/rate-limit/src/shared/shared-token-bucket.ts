import { abortable, realSleep, systemClock, type Clock, type Sleep } from '../clock';
import type { RateLimiter, TakeOptions } from '../rate-limiter';
import { assertPositive, assertTokenCount } from '../validation';
import { leaseTokens, type LeaseContext } from './lease-protocol';
import { planLeases, type LeasePlan, type LeasePlanOptions } from './lease-plan';
import type { LeaseStore } from './lease-store';
import { LocalLeases } from './local-leases';

export interface SharedTokenBucketOptions extends LeasePlanOptions {
  /** One record per bucket, shared by every replica (e.g. `new KvLeaseStore(kv, 'provider.ses')`). */
  readonly store: LeaseStore;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** CAS attempts per lease before pausing (default 8). */
  readonly maxCasAttempts?: number;
  /** Random extra pause, up to this many ms, after a lost race or a refused lease (default 5). */
  readonly jitterMs?: number;
}

/** Counters for metrics and benchmarks (they only grow), and one gauge. */
export interface SharedBucketStats {
  readonly leases: number;
  readonly leasedTokens: number;
  readonly expiredTokens: number;
  readonly casConflicts: number;
  readonly storeRoundTrips: number;
  /** From the last lease: how far the record's timestamp was ahead of this clock (alert if large). */
  readonly clockBehindMs: number;
}

/**
 * A token bucket shared by every replica: each replica leases chunks from one shared record (see
 * `leaseTokens`) and spends them locally, without I/O, until they run out or expire. The provider
 * sees at most `burst + rate × W / 1000` sends over any window of W ms, however many replicas run.
 *
 * One lease round is in flight per replica at a time: concurrent `take` calls wait on it instead of
 * all asking the record at once, and a replica holds at most one reservation ahead.
 */
export class SharedTokenBucket implements RateLimiter {
  readonly plan: LeasePlan;
  private rate: number;
  private readonly held = new LocalLeases();
  private pending: Promise<void> | null = null;
  private readonly store: LeaseStore;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly maxCasAttempts: number;
  private readonly jitterMs: number;
  private counters = { leases: 0, leasedTokens: 0, casConflicts: 0, storeRoundTrips: 0, clockBehindMs: 0 };
  private chunk: number;
  private expiredAtLastLease = 0;

  constructor(options: SharedTokenBucketOptions) {
    this.plan = planLeases(options);
    this.rate = this.plan.ratePerSecond;
    this.chunk = this.plan.leaseChunk;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.maxCasAttempts = options.maxCasAttempts ?? 8;
    this.jitterMs = options.jitterMs ?? 5;
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Tokens this replica may spend right now (reserved ones count once valid). */
  heldTokens(): number {
    return this.held.available(this.clock.now());
  }

  stats(): SharedBucketStats {
    return { ...this.counters, expiredTokens: this.held.expiredTokens };
  }

  /** Spends held tokens only: no I/O, so it can never wait. */
  tryTake(count = 1): boolean {
    assertTokenCount(count, this.maxTake());
    return this.held.tryTake(count, this.clock.now());
  }

  async take(count = 1, options: TakeOptions = {}): Promise<number> {
    assertTokenCount(count, this.maxTake());
    for (;;) {
      options.signal?.throwIfAborted();
      const nowMs = this.clock.now();
      if (this.held.tryTake(count, nowMs)) return nowMs;
      if (!this.pending) {
        const round = this.replenish(count).finally(() => {
          this.pending = null;
        });
        // Waiters see a failure through their own handlers; this one makes sure that a failure
        // nobody waits for any more (every waiter aborted) is never an unhandled rejection.
        round.catch(() => undefined);
        this.pending = round;
      }
      await abortable(this.pending, options.signal);
    }
  }

  /**
   * The refill rate this replica applies when it refills the record (its AIMD rate). Capped at the
   * configured rate: the record's capacity was sized for it, and the guarantee with it.
   */
  setRatePerSecond(ratePerSecond: number): void {
    assertPositive('ratePerSecond', ratePerSecond);
    this.rate = Math.min(ratePerSecond, this.plan.ratePerSecond);
  }

  /**
   * One round: wait for tokens already reserved, or lease (a chunk, or what `count` lacks if more),
   * then sleep until the lease is valid; if refused, wait until asking again can succeed.
   */
  private async replenish(count: number): Promise<void> {
    const nowMs = this.clock.now();
    const reservedWaitMs = this.held.msUntilAvailable(count, nowMs);
    if (reservedWaitMs !== null) {
      await this.sleep(reservedWaitMs);
      return;
    }
    this.adaptChunk();
    const deficit = Math.ceil(count - this.held.held(nowMs));
    const wanted = Math.min(Math.floor(this.plan.capacity), Math.max(this.chunk, deficit));
    const outcome = await leaseTokens(this.context(), wanted);
    this.counters.casConflicts += outcome.casConflicts;
    this.counters.storeRoundTrips += outcome.storeRoundTrips;
    this.counters.clockBehindMs = outcome.clockBehindMs;
    if (outcome.grantedTokens > 0) {
      this.counters.leases += 1;
      this.counters.leasedTokens += outcome.grantedTokens;
      this.held.add(outcome.grantedTokens, outcome.validFromMs, outcome.expiresAtMs);
      const untilValidMs = outcome.validFromMs - this.clock.now();
      if (untilValidMs > 0) await this.sleep(untilValidMs);
      return;
    }
    // Jitter: replicas refused at the same moment should not all ask again at the same instant.
    await this.sleep(outcome.retryAfterMs + this.random() * this.jitterMs);
  }

  /**
   * Sizes the next lease to this replica's demand: a lease that expired with tokens unspent halves
   * the chunk, a lease spent entirely doubles it (up to the plan's chunk). A replica with little
   * to send then strands little, and a busy one still pays few round trips per token.
   */
  private adaptChunk(): void {
    const expired = this.held.expiredTokens;
    this.chunk =
      expired > this.expiredAtLastLease
        ? Math.max(1, Math.floor(this.chunk / 2))
        : Math.min(this.plan.leaseChunk, this.chunk * 2);
    this.expiredAtLastLease = expired;
  }

  private context(): LeaseContext {
    return {
      store: this.store,
      capacity: this.plan.capacity,
      ratePerSecond: this.rate,
      leaseTtlMs: this.plan.leaseTtlMs,
      maxReserveAheadMs: this.plan.maxReserveAheadMs,
      clock: this.clock,
      sleep: this.sleep,
      random: this.random,
      maxCasAttempts: this.maxCasAttempts,
      casBackoffMs: this.jitterMs,
    };
  }

  private maxTake(): number {
    return Math.floor(this.plan.capacity);
  }
}
