/**
 * Time is injected everywhere in this library: unit tests drive a fake clock, and nothing here
 * reads `Date.now()` or starts a timer behind the caller's back.
 */
export interface Clock {
  /** Milliseconds; only differences matter, except across replicas (see the README on clock skew). */
  now(): number;
}

/** Waits `ms` milliseconds; rejects with the signal's reason if `signal` aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Wall-clock time, not a monotonic timer: replicas of the shared bucket compare the timestamps they
 * store, so they must share a time base (NTP-synchronised hosts).
 */
export const systemClock: Clock = { now: () => Date.now() };

/** A real timer, `unref`'d so that a rate-limit wait never keeps a stopping process alive. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    const cleanup = () => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(cleanup, cleanup);
    promise.then(resolve, reject);
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('The wait for rate-limit tokens was aborted', { cause: reason });
}
