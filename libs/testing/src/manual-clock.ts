/**
 * A clock that moves only when told to: a `Clock` and `Sleep` of @mailroom/rate-limit by shape
 * (no import, so this harness stays free of the libraries it tests). Its `sleep` advances the
 * clock by the requested time and resolves at once, which suits a single waiter; several
 * concurrent waiters need jest's fake timers.
 */
export class ManualClock {
  constructor(private nowMs = 0) {}

  now(): number {
    return this.nowMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError('A clock does not go backwards');
    this.nowMs += ms;
  }

  set(nowMs: number): void {
    this.nowMs = nowMs;
  }

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    this.advance(Math.max(0, ms));
    return Promise.resolve();
  };
}
