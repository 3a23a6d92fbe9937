/**
 * Keeps up to `size` publishes in flight: JetStream confirms each one, but waiting for every
 * confirmation before the next publish would cost a round trip per batch.
 */
export class PublishWindow {
  private readonly pending = new Set<Promise<unknown>>();
  private failure: Error | undefined;

  constructor(private readonly size: number) {}

  async push(publish: () => Promise<unknown>): Promise<void> {
    this.rethrow();
    while (this.pending.size >= this.size) {
      await Promise.race(this.pending);
      this.rethrow();
    }
    const p: Promise<unknown> = publish().then(
      () => this.pending.delete(p),
      (error: unknown) => {
        this.pending.delete(p);
        this.failure ??= error instanceof Error ? error : new Error('Publish failed', { cause: error });
      },
    );
    this.pending.add(p);
  }

  /** Waits for every confirmation; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.pending);
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure) throw this.failure;
  }
}
