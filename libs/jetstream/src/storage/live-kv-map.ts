import { KvWatchInclude, type KV, type KvEntry, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';

/** A bucket's entries as a repository hands them out, followed live: read them, and stop following. */
export interface LiveView<T> {
  get(key: string): T | undefined;
  has(key: string): boolean;
  readonly size: number;
  close(): void;
}

/**
 * A KV bucket's current entries, kept in memory and up to date: a lookup costs no round trip,
 * which matters when it happens for every recipient. Loads the current entries, then follows
 * changes (puts update, deletes and purges remove). `onChange` hears about every change after the load.
 */
export class LiveKvMap<T> implements LiveView<T> {
  private readonly entries = new Map<string, T>();
  private onChange?: (key: string, value: T | undefined) => void;

  private constructor(
    private readonly watcher: QueuedIterator<KvWatchEntry>,
    private readonly decode: (entry: KvEntry) => T,
  ) {}

  static async open<T>(
    kv: KV,
    decode: (entry: KvEntry) => T,
    options: {
      readonly onChange?: (key: string, value: T | undefined) => void;
      /** Load only the keys at start (every value is `decode`d from a changed entry later): far less to read for a big bucket. */
      readonly keysOnly?: T;
    } = {},
  ): Promise<LiveKvMap<T>> {
    // Watch first, load second, then replay what the watch saw: no change between the two is lost.
    const watcher = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
    const map = new LiveKvMap<T>(watcher, decode);
    const buffered: KvWatchEntry[] = [];
    let loaded = false;
    void (async () => {
      for await (const entry of watcher) {
        if (loaded) map.apply(entry);
        else buffered.push(entry);
      }
    })();
    if (options.keysOnly !== undefined) {
      for await (const key of await kv.keys()) map.entries.set(key, options.keysOnly);
    } else {
      for await (const entry of await kv.history()) {
        if (entry.operation === 'PUT') map.entries.set(entry.key, decode(entry));
        else map.entries.delete(entry.key);
      }
    }
    loaded = true;
    for (const entry of buffered.splice(0)) map.apply(entry);
    map.onChange = options.onChange;
    if (options.onChange) for (const [key, value] of map.entries) options.onChange(key, value);
    return map;
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys held now. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  close(): void {
    this.watcher.stop();
  }

  private apply(entry: KvWatchEntry): void {
    if (entry.operation === 'PUT') {
      const value = this.decode(entry);
      this.entries.set(entry.key, value);
      this.onChange?.(entry.key, value);
    } else {
      this.entries.delete(entry.key);
      this.onChange?.(entry.key, undefined);
    }
  }
}
