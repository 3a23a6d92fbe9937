import { KvWatchInclude, type KV } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import type { KvWatchEntry } from '@nats-io/kv';

/**
 * The keys of a KV bucket, kept in memory and up to date: a membership test costs no round trip,
 * which matters when every recipient of a million-address list is checked.
 * Loads the current keys, then follows changes (puts add, deletes and purges remove).
 */
export class LiveKeySet {
  private readonly keys = new Set<string>();

  private constructor(private readonly watcher: QueuedIterator<KvWatchEntry>) {}

  static async open(kv: KV): Promise<LiveKeySet> {
    // Watch first, list second, then replay what the watch saw: no change between the two is lost.
    const watcher = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
    const set = new LiveKeySet(watcher);
    const buffered: KvWatchEntry[] = [];
    let loaded = false;
    void (async () => {
      for await (const entry of watcher) {
        if (loaded) set.apply(entry);
        else buffered.push(entry);
      }
    })();
    for await (const key of await kv.keys()) set.keys.add(key);
    loaded = true;
    for (const entry of buffered.splice(0)) set.apply(entry);
    return set;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }

  close(): void {
    this.watcher.stop();
  }

  private apply(entry: KvWatchEntry): void {
    if (entry.operation === 'PUT') this.keys.add(entry.key);
    else this.keys.delete(entry.key);
  }
}
