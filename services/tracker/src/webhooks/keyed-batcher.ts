export interface KeyedBatcherOptions<T> {
  /** Most items in one batch. */
  readonly maxBatch: number;
  /** How long the oldest waiting item of a key may wait before its batch goes, in ms. */
  readonly maxWaitMs: number;
  /** Sends one batch of one key: resolves when it was taken, rejects to fail every item of it. */
  readonly send: (key: string, items: readonly T[]) => Promise<void>;
}

interface Waiting<T> {
  readonly item: T;
  readonly since: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface KeyQueue<T> {
  readonly waiting: Waiting<T>[];
  timer: NodeJS.Timeout | undefined;
  sending: boolean;
}

/**
 * Groups items by key into batches of up to `maxBatch`, each sent once it is full or its oldest
 * item has waited `maxWaitMs`, one batch per key at a time (what arrives meanwhile waits for the
 * next). `add` settles with its batch: resolved once the batch was sent, rejected with the
 * batch's error. Nothing is kept once a key has nothing waiting.
 */
export class KeyedBatcher<T> {
  private readonly queues = new Map<string, KeyQueue<T>>();

  constructor(private readonly options: KeyedBatcherOptions<T>) {}

  add(key: string, item: T): Promise<void> {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { waiting: [], timer: undefined, sending: false };
      this.queues.set(key, queue);
    }
    const q = queue;
    return new Promise<void>((resolve, reject) => {
      q.waiting.push({ item, since: Date.now(), resolve, reject });
      this.schedule(key, q);
    });
  }

  /** Items waiting for (or in) a batch of `key`, not counting one being sent. */
  waitingFor(key: string): number {
    return this.queues.get(key)?.waiting.length ?? 0;
  }

  /** Keys with items waiting or a batch being sent. */
  get keys(): number {
    return this.queues.size;
  }

  private schedule(key: string, q: KeyQueue<T>): void {
    if (q.sending) return;
    if (q.waiting.length >= this.options.maxBatch) {
      this.flush(key, q);
      return;
    }
    if (q.timer === undefined && q.waiting.length > 0) {
      const wait = Math.max(0, q.waiting[0]!.since + this.options.maxWaitMs - Date.now());
      q.timer = setTimeout(() => {
        q.timer = undefined;
        this.flush(key, q);
      }, wait);
    }
  }

  private flush(key: string, q: KeyQueue<T>): void {
    if (q.timer !== undefined) clearTimeout(q.timer);
    q.timer = undefined;
    const batch = q.waiting.splice(0, this.options.maxBatch);
    if (batch.length === 0) {
      this.forget(key, q);
      return;
    }
    q.sending = true;
    void Promise.resolve()
      .then(() => this.options.send(key, batch.map((w) => w.item)))
      .then(
        () => batch.forEach((w) => w.resolve()),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        q.sending = false;
        if (q.waiting.length === 0) this.forget(key, q);
        else this.schedule(key, q);
      });
  }

  private forget(key: string, q: KeyQueue<T>): void {
    if (this.queues.get(key) === q) this.queues.delete(key);
  }
}
