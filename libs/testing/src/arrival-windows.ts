/**
 * The most arrivals inside any half-open window `[t, t + windowMs)` (checking the windows that
 * start at an arrival is enough: any other window can slide right to its first arrival). What
 * "at most N in any second" means for emails reaching an SMTP sink: an email exactly one window
 * after another falls in the next window.
 *
 * Not the same count as `maxInClosedWindow` of @mailroom/rate-limit's own tests, which counts
 * `[t, t + windowMs]` with both ends in: that is the window a token bucket's bound
 * (`burst + rate × W`) holds over, so the stricter count for checking the bucket itself.
 */
export function maxInHalfOpenWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Arrivals per second between the first and the last one. */
export function observedRate(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  return ((sorted.length - 1) * 1000) / (sorted[sorted.length - 1]! - sorted[0]!);
}
