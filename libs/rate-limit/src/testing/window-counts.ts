/**
 * The largest number of events inside any closed window `[t, t + windowMs]`. Checking the windows
 * that start at an event is enough: any other window can slide right to its first event.
 */
export function maxInWindow(timestampsMs: readonly number[], windowMs: number): number {
  const sorted = [...timestampsMs].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    const first = sorted[start] as number;
    while (end < sorted.length && (sorted[end] as number) <= first + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}
