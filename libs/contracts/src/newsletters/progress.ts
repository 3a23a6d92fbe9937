/** `[epoch ms, recipients settled so far]`, oldest first. */
export type ProgressSample = readonly [number, number];

/** One sample per this many ms at most: the record stays small however many batches it has. */
const SAMPLE_EVERY_MS = 5_000;
/** The window the current rate is computed over. */
export const RATE_WINDOW_MS = 60_000;

/**
 * Records progress at `at`. The newest sample keeps moving forward until it is 5 s past the one
 * before it, then a new one starts (the first sample, the start, never moves); samples that fell
 * out of the rate window are dropped, but for the newest of them, which anchors the window's start.
 */
export function addSample(samples: readonly ProgressSample[], at: number, settled: number): ProgressSample[] {
  const last = samples[samples.length - 1];
  const beforeLast = samples[samples.length - 2];
  const time = Math.max(at, last?.[0] ?? at);
  const next: ProgressSample[] =
    last && beforeLast && last[0] - beforeLast[0] < SAMPLE_EVERY_MS
      ? [...samples.slice(0, -1), [time, settled]]
      : [...samples, [time, settled]];
  const firstInWindow = next.findIndex(([t]) => t >= time - RATE_WINDOW_MS);
  return firstInWindow > 1 ? next.slice(firstInWindow - 1) : next;
}

/**
 * Recipients settled per second over the last minute as seen at `now` (or since the start, when
 * that was less than a minute ago). Falls to 0 after a minute without progress.
 */
export function currentRate(samples: readonly ProgressSample[], now: number): number {
  const latest = samples[samples.length - 1];
  if (!latest) return 0;
  const windowStart = now - RATE_WINDOW_MS;
  const firstIn = samples.findIndex(([t]) => t >= windowStart);
  if (firstIn === -1) return 0;
  let from: ProgressSample = samples[0]!;
  if (firstIn > 0) {
    const [a, b] = [samples[firstIn - 1]!, samples[firstIn]!];
    from = [windowStart, a[1] + ((b[1] - a[1]) * (windowStart - a[0])) / Math.max(1, b[0] - a[0])];
  }
  const seconds = (now - from[0]) / 1000;
  return seconds > 0 ? Math.max(0, (latest[1] - from[1]) / seconds) : 0;
}
