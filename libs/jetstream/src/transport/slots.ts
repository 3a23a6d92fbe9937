/** Counts free processing slots and lets the pull loop wait until at least one is free. */
export class Slots {
  private used = 0;
  private closed = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  get free(): number {
    return this.capacity - this.used;
  }

  get inUse(): number {
    return this.used;
  }

  take(): void {
    this.used += 1;
  }

  release(): void {
    this.used -= 1;
    this.wake();
  }

  /** No more work will be taken: `whenFree` returns at once from now on (the caller checks why). */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Resolves when a slot is free (at once if one is), or once closed. */
  async whenFree(): Promise<void> {
    while (this.free <= 0 && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Resolves when nothing is in use. */
  async whenIdle(): Promise<void> {
    while (this.used > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
