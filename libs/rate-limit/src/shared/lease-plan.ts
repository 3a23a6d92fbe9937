import { RateLimitOptionsError } from '../rate-limit.errors';
import { assertPositive, assertPositiveInteger } from '../validation';

export interface LeasePlanOptions {
  /** The provider's configured rate: the most the shared bucket ever refills at. */
  readonly ratePerSecond: number;
  /** Over any window of W ms, all replicas together spend at most `burst + rate × W / 1000` tokens. */
  readonly burst: number;
  /** Most tokens per lease: fewer round trips when larger, more tokens stranded by a crash. */
  readonly leaseChunk?: number;
  /** How long leased tokens stay spendable once valid; unspent ones are then dropped. */
  readonly leaseTtlMs?: number;
  /** How far ahead of its refill a lease may reserve tokens; beyond, the replica asks again later. */
  readonly maxReserveAheadMs?: number;
}

export interface LeasePlan {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly leaseChunk: number;
  readonly leaseTtlMs: number;
  readonly maxReserveAheadMs: number;
  /**
   * Capacity of the shared record: `burst − rate × leaseTtlMs / 1000`. Tokens that become valid at
   * time v may be spent until v + ttl, so the spends in a window include tokens released in the ttl
   * before it; holding that much back from the record keeps spends (not just leases) within
   * burst + rate × W.
   */
  readonly capacity: number;
}

/** Leases shorter than this would expire during a slow round trip or a busy event loop. */
const MIN_LEASE_TTL_MS = 20;
/** Long enough to wake up and spend a chunk; longer only takes burst away from the record. */
const MAX_DEFAULT_LEASE_TTL_MS = 250;
const DEFAULT_MAX_RESERVE_AHEAD_MS = 1_000;

/**
 * Derives chunk, time-to-live and record capacity from rate and burst, or checks the ones given.
 * Defaults: a chunk of up to 100 ms of tokens and at most half the burst; the ttl takes at most
 * half of the burst that remains, so the record keeps real burst for a start after idle.
 */
export function planLeases(options: LeasePlanOptions): LeasePlan {
  const { ratePerSecond, burst } = options;
  assertPositive('ratePerSecond', ratePerSecond);
  assertPositive('burst', burst);
  const leaseChunk = options.leaseChunk ?? Math.max(1, Math.min(Math.floor(burst / 2), Math.ceil(ratePerSecond / 10)));
  assertPositiveInteger('leaseChunk', leaseChunk);
  const maxReserveAheadMs = options.maxReserveAheadMs ?? DEFAULT_MAX_RESERVE_AHEAD_MS;
  assertPositive('maxReserveAheadMs', maxReserveAheadMs);

  const defaultTtlMs = Math.min(MAX_DEFAULT_LEASE_TTL_MS, Math.floor(((burst - leaseChunk) / 2 / ratePerSecond) * 1000));
  const leaseTtlMs = options.leaseTtlMs ?? defaultTtlMs;
  if (!Number.isInteger(leaseTtlMs) || leaseTtlMs < MIN_LEASE_TTL_MS) {
    const neededBurst = leaseChunk + Math.ceil((2 * ratePerSecond * MIN_LEASE_TTL_MS) / 1000);
    throw new RateLimitOptionsError(
      options.leaseTtlMs === undefined
        ? `burst ${burst} is too small to share ${ratePerSecond}/s between replicas: use a burst of at least ${neededBurst}`
        : `leaseTtlMs must be a whole number of at least ${MIN_LEASE_TTL_MS}, got ${leaseTtlMs}`,
    );
  }

  const capacity = burst - (ratePerSecond * leaseTtlMs) / 1000;
  if (capacity < leaseChunk) {
    throw new RateLimitOptionsError(
      `burst ${burst} cannot cover a chunk of ${leaseChunk} plus ${leaseTtlMs} ms of leases at ${ratePerSecond}/s ` +
        `(${(ratePerSecond * leaseTtlMs) / 1000} tokens): raise burst or lower leaseChunk or leaseTtlMs`,
    );
  }
  return { ratePerSecond, burst, leaseChunk, leaseTtlMs, maxReserveAheadMs, capacity };
}
