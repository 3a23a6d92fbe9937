import type { Clock, Sleep } from '../clock';
import { CasConflictError } from '../rate-limit.errors';
import { msUntilTokens, refill, withdraw } from '../bucket/refill';
import type { LeaseStore } from './lease-store';

export interface LeaseContext {
  readonly store: LeaseStore;
  /** The record's capacity (`LeasePlan.capacity`), not the burst. */
  readonly capacity: number;
  /** The refill rate this replica applies (its AIMD rate, never above the configured one). */
  readonly ratePerSecond: number;
  readonly leaseTtlMs: number;
  readonly maxReserveAheadMs: number;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** Compare-and-set attempts before giving up this round (the caller waits and asks again). */
  readonly maxCasAttempts: number;
  /** Pause after a lost race: random in [0, casBackoffMs × attempt), so racers spread out. */
  readonly casBackoffMs: number;
}

interface LeaseOutcome {
  /** All or nothing: the requested count, or 0. */
  readonly grantedTokens: number;
  /** When the record was read and the lease decided, on this replica's clock. */
  readonly leasedAtMs: number;
  /** The tokens may be spent from here (the instant the bucket would have held them)… */
  readonly validFromMs: number;
  /** …while `now < expiresAtMs` (`validFromMs + leaseTtlMs`), never after. */
  readonly expiresAtMs: number;
  /** With nothing granted: how long until asking again can succeed (0 after losing every race). */
  readonly retryAfterMs: number;
  readonly casConflicts: number;
  readonly storeRoundTrips: number;
  /**
   * How far the record's timestamp was ahead of this replica's clock (0 normally). Large values
   * mean a replica's clock runs ahead: refill waits for it, so the limit holds but sending slows.
   */
  readonly clockBehindMs: number;
}

/**
 * Takes `tokens` from the shared record: read it, refill it from its stored timestamp, write it
 * back with the tokens removed, on condition that nobody wrote in between (revision CAS). A lost
 * race re-reads; nothing is ever taken twice.
 *
 * Reservation (as in GCRA): when the record holds fewer than `tokens`, the lease still succeeds
 * if they will have refilled within `maxReserveAheadMs`; the record goes into debt and the tokens
 * become valid only at the instant the bucket would have held them. Later leases queue behind
 * that debt. So a waiting replica sleeps locally instead of polling, and a granted lease costs
 * exactly 2 round trips (read + CAS write), +2 per lost race.
 *
 * Validity starts from `leasedAtMs`, read after the record arrives and before the write leaves,
 * so a slow reply eats into the lease's ttl instead of stretching it.
 */
export async function leaseTokens(context: LeaseContext, tokens: number): Promise<LeaseOutcome> {
  const { store, clock } = context;
  const shape = { ratePerSecond: context.ratePerSecond, capacity: context.capacity };
  let casConflicts = 0;
  let storeRoundTrips = 0;
  let clockBehindMs = 0;
  for (let attempt = 1; attempt <= context.maxCasAttempts; attempt++) {
    const current = await store.read();
    storeRoundTrips += 1;
    const nowMs = clock.now();
    clockBehindMs = current ? Math.max(0, current.state.updatedAtMs - nowMs) : 0;
    // A missing record starts full: at most `capacity` tokens at once, as after a long idle.
    const level = current ? refill(current.state, shape, nowMs) : { tokens: context.capacity, updatedAtMs: nowMs };
    const waitMs = msUntilTokens(level.tokens, tokens, context.ratePerSecond);
    if (waitMs > context.maxReserveAheadMs) {
      const retryAfterMs = waitMs - context.maxReserveAheadMs;
      return { ...refused(nowMs, retryAfterMs), casConflicts, storeRoundTrips, clockBehindMs };
    }
    try {
      storeRoundTrips += 1;
      const next = withdraw(level, tokens);
      if (current) await store.update(next, current.revision);
      else await store.create(next);
      const validFromMs = nowMs + waitMs;
      const expiresAtMs = validFromMs + context.leaseTtlMs;
      const granted = { grantedTokens: tokens, leasedAtMs: nowMs, validFromMs, expiresAtMs, retryAfterMs: 0 };
      return { ...granted, casConflicts, storeRoundTrips, clockBehindMs };
    } catch (error) {
      if (!(error instanceof CasConflictError)) throw error;
      casConflicts += 1;
      await context.sleep(context.random() * context.casBackoffMs * attempt);
    }
  }
  return { ...refused(clock.now(), 0), casConflicts, storeRoundTrips, clockBehindMs };
}

function refused(nowMs: number, retryAfterMs: number) {
  return { grantedTokens: 0, leasedAtMs: nowMs, validFromMs: nowMs, expiresAtMs: nowMs, retryAfterMs };
}
