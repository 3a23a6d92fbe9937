import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Objm, type ObjectInfo, type ObjectStore } from '@nats-io/obj';
import { TEST_NATS_URL, uniqueNamespace } from '@mailroom/testing';
import { readObjectChunks } from '../src/storage/object-chunks';
import { writeObject, type ObjectWrites } from '../src/storage/object-writer';

jest.setTimeout(60_000);

/** `bytes` cut into pieces of these sizes (the last takes the rest): a producer's uneven writes. */
function* piecesOf(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  for (const size of sizes) {
    yield bytes.subarray(at, at + size);
    at += size;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** The metadata fields nats.js writes, less those that differ by nature between two writes (name, nuid, mtime, revision). */
const comparable = ({ bucket, size, chunks, digest, deleted, description, options, headers, metadata }: ObjectInfo) => ({
  bucket,
  size,
  chunks,
  digest,
  deleted,
  description,
  options,
  headers,
  metadata,
});

describe('writeObject (real NATS object store, read back by nats.js)', () => {
  const bucket = uniqueNamespace('objw');
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let store: ObjectStore;
  let target: ObjectWrites;

  /** Messages in the bucket's stream: chunks of every live object plus one metadata message each. */
  const storedMessages = async () => (await jsm.streams.info(`OBJ_${bucket}`)).state.messages;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    store = await new Objm(nc).create(bucket);
    target = { js, jsm, bucket };
  });

  afterAll(async () => {
    await store?.destroy().catch(() => undefined);
    await nc?.close();
  });

  it("stores what nats.js's get reads back and verifies, with the metadata nats.js's own put writes", async () => {
    // 3 full chunks and a partial one, written in pieces that straddle the chunk boundaries.
    const bytes = randomBytes(3 * 128 * 1024 + 4321);
    // A name whose base64 needs the URL alphabet and padding (nats.js's metadata subject).
    const name = 'lists/l1/i?>.ndjson';
    expect(btoa(name)).toMatch(/[+/].*=$/);
    await writeObject(target, store, name, piecesOf(bytes, [1000, 200_000, 17, 131_072]));

    expect(Buffer.from((await store.getBlob(name))!)).toEqual(bytes);
    const ours = (await store.info(name))!;
    expect(ours).toMatchObject({ name, size: bytes.length, chunks: 4, deleted: false });
    expect(await readAll(readObjectChunks({ jsm, bucket }, ours))).toEqual(bytes);

    await store.putBlob({ name: 'by-nats-js' }, bytes);
    expect(comparable(ours)).toEqual(comparable((await store.info('by-nats-js'))!));
  });

  it('stores an empty object as nats.js does: no chunk, the digest of nothing', async () => {
    await writeObject(target, store, 'empty', []);
    await store.putBlob({ name: 'empty-by-nats-js' }, new Uint8Array(0));
    const ours = (await store.info('empty'))!;
    expect(ours).toMatchObject({ size: 0, chunks: 0 });
    expect(comparable(ours)).toEqual(comparable((await store.info('empty-by-nats-js'))!));
    expect((await store.getBlob('empty'))!.length).toBe(0);
  });

  it('keeps chunks within the server’s max_payload when it is below the usual chunk size', async () => {
    const bytes = randomBytes(100_001);
    await writeObject({ ...target, maxPayload: 40_000 }, store, 'small-payload', [bytes]);
    expect(await store.info('small-payload')).toMatchObject({ chunks: 3, options: { max_chunk_size: 40_000 } });
    expect(Buffer.from((await store.getBlob('small-payload'))!)).toEqual(bytes);
  });

  it("replaces an object's earlier version and purges its chunks", async () => {
    const before = await storedMessages();
    await writeObject(target, store, 'replaced', [randomBytes(300_000)]);
    expect(await storedMessages()).toBe(before + 3 + 1);
    await writeObject(target, store, 'replaced', [Buffer.from('second version')]);
    expect(Buffer.from((await store.getBlob('replaced'))!).toString()).toBe('second version');
    // One chunk and one metadata message left: the metadata is rolled up, the old chunks purged.
    expect(await storedMessages()).toBe(before + 1 + 1);
  });

  it('stores nothing when its source fails halfway, and rethrows that error as is', async () => {
    const before = await storedMessages();
    const failure = new Error('the request body was cut short');
    function* failing() {
      yield randomBytes(500_000);
      throw failure;
    }
    await expect(writeObject(target, store, 'cut-short', failing())).rejects.toBe(failure);
    expect(await store.info('cut-short')).toBeNull();
    // The three full chunks sent before the failure are gone again.
    expect(await storedMessages()).toBe(before);
  });

  it('stores nothing when the server refuses the metadata: the chunks sent are purged, the error rethrown', async () => {
    // A bucket whose messages may be 512 bytes at most: 300-byte chunks pass, metadata naming a
    // 400-character object does not (the server's refusal, not a stand-in for one).
    const small = await new Objm(nc).create(`${bucket}-small`);
    try {
      const config = (await jsm.streams.info(`OBJ_${bucket}-small`)).config;
      await jsm.streams.update(`OBJ_${bucket}-small`, { ...config, max_msg_size: 512 });
      const name = `long-${'n'.repeat(400)}`;
      const write = writeObject({ js, jsm, bucket: `${bucket}-small`, maxPayload: 300 }, small, name, [randomBytes(1_000)]);
      await expect(write).rejects.toThrow(/maximum/i);
      expect(await small.info(name)).toBeNull();
      expect((await jsm.streams.info(`OBJ_${bucket}-small`)).state.messages).toBe(0);
    } finally {
      await small.destroy();
    }
  });
});
