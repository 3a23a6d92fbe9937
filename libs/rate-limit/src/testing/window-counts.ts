/**
 * The largest number of events inside any closed window `[t, t + windowMs]`, both ends in
 * (checking the windows that start at an event is enough: any other window can slide right to its
 * first event). A token bucket takes at most `burst + rate × W / 1000` tokens over any such
 * window, ends included, so this is the count its tests check against that bound.
 *
 * Not the same count as `maxInHalfOpenWindow` of @mailroom/testing, which leaves the window's end
 * out (`[t, t + windowMs)`: "at most N in any second" of emails arriving at a sink) and so never
 * counts more than this.
 */
export function maxInClosedWindow(timestampsMs: readonly number[], windowMs: number): number {
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
