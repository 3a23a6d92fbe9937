/*
 * Two windows, on purpose: "at most N emails in any second" counts a half-open second, while a
 * token bucket's bound (burst + rate × window) holds for the closed window, whose both ends can
 * each take a token. Checking only the windows that start at an arrival is enough: any other
 * window can slide right to its first arrival.
 */

/** The most arrivals inside any half-open window `[t, t + windowMs)`: what "at most N in any second" means for emails reaching an SMTP sink. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** The most arrivals inside any closed window `[t, t + windowMs]`: what a token bucket's `burst + rate × windowMs` bounds. */
export function maxInClosedWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! <= sorted[start]! + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

/** Arrivals per second between the first and the last one. */
export function observedRate(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  return ((sorted.length - 1) * 1000) / (sorted[sorted.length - 1]! - sorted[0]!);
}

/**
 * The longest time without an arrival between the first and the last one, and when it began: how
 * long delivery stood still (e.g. while a NATS server was down).
 */
export function longestGap(times: readonly number[]): { readonly gapMs: number; readonly from: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let gap = { gapMs: 0, from: sorted[0] ?? 0 };
  for (let i = 1; i < sorted.length; i++) {
    const ms = sorted[i]! - sorted[i - 1]!;
    if (ms > gap.gapMs) gap = { gapMs: ms, from: sorted[i - 1]! };
  }
  return gap;
}
