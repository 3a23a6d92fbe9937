/**
 * The most arrivals inside any window of `windowMs` (half-open `[t, t + windowMs)`, one per
 * arrival: any other window can slide right to its first arrival). What "at most N in any second"
 * means for emails reaching an SMTP sink.
 */
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
