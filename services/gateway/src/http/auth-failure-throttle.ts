/**
 * Failed authentications per client address (HTTP and gRPC): each address may fail `perMinute`
 * times in a fixed one-minute window; beyond that it is answered 429 with `Retry-After` (the
 * seconds left in its window) before its key is even looked at, so guessing keys costs a minute
 * per `perMinute` guesses. Successful requests are never counted. The table is bounded: when it
 * holds `maxAddresses`, windows that have ended are dropped first, then the oldest.
 */
export class AuthFailureThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxAddresses = 100_000,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    if (this.perMinute === 0) return 0;
    const window = this.windows.get(address);
    if (!window) return 0;
    const elapsed = this.now() - window.start;
    if (elapsed >= this.windowMs) {
      this.windows.delete(address);
      return 0;
    }
    return window.failures >= this.perMinute ? Math.max(1, Math.ceil((this.windowMs - elapsed) / 1000)) : 0;
  }

  /** Counts one failed authentication from `address`. */
  fail(address: string): void {
    if (this.perMinute === 0) return;
    const now = this.now();
    const window = this.windows.get(address);
    if (window && now - window.start < this.windowMs) {
      window.failures++;
      return;
    }
    if (this.windows.size >= this.maxAddresses) this.evict(now);
    this.windows.delete(address);
    this.windows.set(address, { start: now, failures: 1 });
  }

  get size(): number {
    return this.windows.size;
  }

  private evict(now: number): void {
    for (const [address, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(address);
    }
    // Still full: the oldest windows go (a Map iterates in insertion order).
    for (const address of this.windows.keys()) {
      if (this.windows.size < this.maxAddresses) break;
      this.windows.delete(address);
    }
  }
}
