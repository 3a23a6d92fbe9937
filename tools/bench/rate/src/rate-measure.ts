import { maxInHalfOpenWindow } from '@mailroom/testing';

/** What one run saw at the SMTP server. */
export interface RateMeasurement {
  readonly senders: number;
  readonly configuredPerSecond: number;
  readonly burst: number;
  /** Arrivals per second in the measured window (after the warm-up, so the initial burst is out). */
  readonly observedPerSecond: number;
  /** Arrivals per second from the first arrival over the same duration (the initial burst included). */
  readonly fromFirstPerSecond: number;
  /** Most arrivals in any 1 s window over the whole run, and the bound rate + burst. */
  readonly peakInOneSecond: number;
  readonly measuredEmails: number;
  readonly durationSeconds: number;
  /** Summed over the senders at the end of the run, from their /metrics. */
  readonly leasedTokens?: number;
  readonly expiredTokens?: number;
}

export function measure(options: {
  readonly arrivals: readonly number[];
  readonly senders: number;
  readonly configuredPerSecond: number;
  readonly burst: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}): RateMeasurement {
  const sorted = [...options.arrivals].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const inRange = (from: number, to: number) => sorted.filter((t) => t >= from && t < to).length;
  const seconds = options.durationMs / 1000;
  const measured = inRange(first + options.warmupMs, first + options.warmupMs + options.durationMs);
  return {
    senders: options.senders,
    configuredPerSecond: options.configuredPerSecond,
    burst: options.burst,
    observedPerSecond: measured / seconds,
    fromFirstPerSecond: inRange(first, first + options.durationMs) / seconds,
    peakInOneSecond: maxInHalfOpenWindow(sorted, 1_000),
    measuredEmails: measured,
    durationSeconds: seconds,
  };
}
