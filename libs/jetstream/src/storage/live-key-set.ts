import type { KV } from '@nats-io/kv';
import { LiveKvMap } from './live-kv-map';

/** The keys of a KV bucket, kept in memory and up to date (values are not kept). */
export class LiveKeySet {
  private constructor(private readonly map: LiveKvMap<true>) {}

  static async open(kv: KV): Promise<LiveKeySet> {
    return new LiveKeySet(await LiveKvMap.open(kv, () => true, { keysOnly: true }));
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get size(): number {
    return this.map.size;
  }

  close(): void {
    this.map.close();
  }
}
