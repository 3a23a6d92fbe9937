import type { Clock, Sleep } from '../clock';

/**
 * A clock that moves only when told to. Its `sleep` advances the clock by the requested time and
 * resolves at once, which suits a single waiter; several concurrent waiters need jest's fake timers.
 */
export class ManualClock implements Clock {
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

  readonly sleep: Sleep = (ms, signal) => {
    signal?.throwIfAborted();
    this.advance(Math.max(0, ms));
    return Promise.resolve();
  };
}
