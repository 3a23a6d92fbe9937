import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { TEST_NATS_URL } from './test-namespace';

/** Entries of the key-value half: the size of a ledger entry, each under a key of its own. */
const ENTRY_BYTES = 1024;
/** Messages of the blob half: the size of an imported list's parts. */
const BLOB_BYTES = 128 * 1024;
/** Publishes in flight at once while filling. */
const WINDOW = 512;

/**
 * Unrelated data in the NATS server the bench runs against, as another deployment, tenant or old
 * test namespaces leave it: half of `megabytes` as a KV-style stream of 1 KB entries, each under a
 * subject of its own (half a million per GB; nats-server indexes every subject), half as a stream
 * of 128 KB messages. For the "noisy NATS" rows: the same newsletter with and without it, in the
 * same run.
 */
export class NatsNoise {
  private constructor(
    private readonly streams: readonly string[],
    private readonly jsm: JetStreamManager,
    private readonly close: () => Promise<void>,
  ) {}

  static async fill(megabytes: number, log: (line: string) => void, url = TEST_NATS_URL): Promise<NatsNoise> {
    const nc = await connect({ servers: url });
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const id = randomBytes(4).toString('hex');
    const names = { entries: `BENCH_NOISE_${id}_KV`, blobs: `BENCH_NOISE_${id}_BLOBS` };
    const noise = new NatsNoise(Object.values(names), jsm, () => nc.close());
    try {
      const started = Date.now();
      const half = (megabytes * 1024 * 1024) / 2;
      await jsm.streams.add({ name: names.entries, subjects: [`bench-noise.${id}.kv.>`], max_msgs_per_subject: 1 });
      await jsm.streams.add({ name: names.blobs, subjects: [`bench-noise.${id}.blobs.>`] });
      await publishAll(js, Math.ceil(half / ENTRY_BYTES), ENTRY_BYTES, (i) => `bench-noise.${id}.kv.${i % 1000}.${i}`);
      await publishAll(js, Math.ceil(half / BLOB_BYTES), BLOB_BYTES, (i) => `bench-noise.${id}.blobs.${i % 64}`);
      let bytes = 0;
      for (const name of noise.streams) bytes += (await jsm.streams.info(name)).state.bytes;
      log(`NATS noise: ${Math.round(bytes / 1024 / 1024)} MB in ${noise.streams.join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return noise;
    } catch (error) {
      await noise.remove();
      throw error;
    }
  }

  /** Deletes the streams: the shared server is left as it was found. */
  async remove(): Promise<void> {
    for (const name of this.streams) await this.jsm.streams.delete(name).catch(() => false);
    await this.close();
  }
}

async function publishAll(js: JetStreamClient, count: number, bytes: number, subject: (i: number) => string): Promise<void> {
  const payload = randomBytes(bytes);
  for (let from = 0; from < count; from += WINDOW) {
    const acks: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(count, from + WINDOW); i++) acks.push(js.publish(subject(i), payload));
    await Promise.all(acks);
  }
}
