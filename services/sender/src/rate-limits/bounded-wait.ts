import { TokenWaitTimeoutError } from './rate-limit-wait.errors';

/**
 * How long one wait for a token may take: one ack wait (the transport keeps the message alive
 * meanwhile), or three token intervals when the rate is so low that a token comes less often.
 * Past that something is wrong (a stuck lease, a replica clock far ahead): the batch goes back to
 * the queue instead of waiting forever.
 */
export function tokenWaitLimitMs(ackWaitMs: number, ratePerSecond: number): number {
  const interval = Number.isFinite(ratePerSecond) && ratePerSecond > 0 ? Math.ceil(3_000 / ratePerSecond) : 0;
  return Math.max(ackWaitMs, interval);
}

export interface Deadline {
  /** Aborts when the parent aborts (with its reason) or after the limit (with TokenWaitTimeoutError). */
  readonly signal: AbortSignal;
  /** Clears the timer; call it once the wait is over. */
  dispose(): void;
}

/** A child signal of `parent` that also aborts after `limitMs`. Its timer never keeps the process alive. */
export function deadline(parent: AbortSignal, limitMs: number): Deadline {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new TokenWaitTimeoutError(limitMs)), limitMs);
  timer.unref();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}

/** Runs `wait` under a deadline; resolves with its result and how long it took (seconds, for the histogram). */
export async function boundedWait<T>(
  parent: AbortSignal,
  limitMs: number,
  wait: (signal: AbortSignal) => Promise<T>,
): Promise<{ readonly value: T; readonly waitedSeconds: number }> {
  const started = performance.now();
  const bound = deadline(parent, limitMs);
  try {
    const value = await wait(bound.signal);
    return { value, waitedSeconds: (performance.now() - started) / 1000 };
  } finally {
    bound.dispose();
  }
}
