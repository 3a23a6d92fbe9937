/**
 * Token-bucket arithmetic shared by the local bucket and the shared (leased) bucket. Pure: a level
 * and a time in, a level out.
 */

/**
 * How full a bucket is, as of a time. `tokens` may be fractional (refill is continuous) and, in the
 * shared record, negative: tokens reserved ahead of their refill (see `leaseTokens`).
 */
export interface BucketLevel {
  readonly tokens: number;
  readonly updatedAtMs: number;
}

interface BucketShape {
  readonly ratePerSecond: number;
  readonly capacity: number;
}

/**
 * Float noise (0.7 + 0.3 = 0.9999999999999999) must not make a token that is due wait another
 * millisecond. The price is an overdraft of at most this much of one token.
 */
const TOKEN_EPSILON = 1e-9;

/**
 * The level at `nowMs`. Time never runs backwards here: a `nowMs` before `updatedAtMs` (clock skew
 * between replicas) adds nothing and keeps the later timestamp, so skew can never mint tokens twice.
 */
export function refill(level: BucketLevel, shape: BucketShape, nowMs: number): BucketLevel {
  const elapsedMs = Math.max(0, nowMs - level.updatedAtMs);
  const start = Math.min(shape.capacity, level.tokens);
  const tokens = Math.min(shape.capacity, start + (elapsedMs * shape.ratePerSecond) / 1000);
  return { tokens, updatedAtMs: Math.max(level.updatedAtMs, nowMs) };
}

export function hasTokens(tokens: number, count: number): boolean {
  return tokens + TOKEN_EPSILON >= count;
}

/**
 * Removes `count` tokens. After a `hasTokens` check the balance is never below zero (float noise
 * is rounded away); without one, the shortfall stays as a debt that later refills pay first.
 */
export function withdraw(level: BucketLevel, count: number): BucketLevel {
  const tokens = level.tokens - count;
  return { tokens: tokens < 0 && tokens > -TOKEN_EPSILON ? 0 : tokens, updatedAtMs: level.updatedAtMs };
}

/** Whole milliseconds until `count` tokens are available, refilling at `ratePerSecond` from `tokens`. */
export function msUntilTokens(tokens: number, count: number, ratePerSecond: number): number {
  if (hasTokens(tokens, count)) return 0;
  let ms = Math.ceil(((count - tokens) * 1000) / ratePerSecond);
  // Agree with hasTokens at the boundary, so that waiting `ms` is always enough and never 1 ms too much.
  if (ms > 1 && hasTokens(tokens + ((ms - 1) * ratePerSecond) / 1000, count)) ms -= 1;
  return ms;
}
