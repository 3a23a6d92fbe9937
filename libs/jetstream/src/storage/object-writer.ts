import { createHash } from 'node:crypto';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { headers, nuid } from '@nats-io/transport-node';
import type { PacedObjectReads } from './object-chunks';

/** Where an object store's messages go (`OBJ_<bucket>`), for writing its chunks ourselves. */
export interface ObjectWrites extends PacedObjectReads {
  readonly js: JetStreamClient;
  /** The server's max_payload: a chunk is never larger (nats.js caps its chunks the same way). */
  readonly maxPayload?: number;
}

/** nats.js's default chunk size: objects we write are chunked as its `put` would chunk them. */
const CHUNK_BYTES = 128 * 1024;

/** Chunk publishes awaiting their acknowledgement at once (a window, so memory stays bounded: 1 MiB). */
const CHUNKS_IN_FLIGHT = 8;

/**
 * Stores an object in the object store's own format (nats.js 3.3's `ObjectStore.put`: the same
 * chunk and metadata subjects, chunk sizes, metadata fields and digest), so nats.js and
 * `readObjectChunks` read it as any other. Why not `put`: it awaits each chunk's acknowledgement
 * before it sends the next, and hashes with a pure-JavaScript SHA-256; the 5.8 MB list of a
 * 100,000-recipient request took 124–143 ms that way, and the gateway answers only after it. Here
 * up to CHUNKS_IN_FLIGHT chunks are on their way at once (one connection: the stream stores them
 * in the order sent) and node:crypto hashes.
 *
 * As with `put`: the metadata goes last, so readers see the new object whole or not at all; the
 * previous version's chunks are purged afterwards (best effort, as nats.js does). If `data` throws
 * or a chunk is refused, the chunks already sent are purged, nothing is stored, and the error is
 * rethrown as is. If the metadata's publish fails, the object is looked up: stored after all (the
 * answer was lost) is success; otherwise the error is rethrown, and the chunks purged unless the
 * lookup failed too (then they stay, unreferenced, rather than risk breaking an object that was stored).
 */
export async function writeObject(target: ObjectWrites, store: ObjectStore, name: string, data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
  if (name === '') throw new Error('An object needs a name');
  const chunkBytes = Math.min(CHUNK_BYTES, target.maxPayload ?? CHUNK_BYTES);
  const old = await store.info(name);
  const id = nuid.next();
  const chunkSubject = `$O.${target.bucket}.C.${id}`;
  const sha = createHash('sha256');
  let size = 0;
  let chunks = 0;
  const inFlight: Promise<PubAck>[] = [];
  const purgeChunks = () => target.jsm.streams.purge(`OBJ_${target.bucket}`, { filter: chunkSubject }).catch(() => undefined);
  const send = async (chunk: Uint8Array) => {
    sha.update(chunk);
    size += chunk.length;
    chunks += 1;
    const ack = target.js.publish(chunkSubject, chunk);
    // Awaited in turn below; this only keeps a refusal behind an earlier one from going unhandled.
    ack.catch(() => undefined);
    inFlight.push(ack);
    while (inFlight.length >= CHUNKS_IN_FLIGHT) await inFlight.shift();
  };
  try {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    // `for await` takes a plain iterable as well; the cast only tells the type checker so.
    for await (const piece of data as AsyncIterable<Uint8Array>) {
      for (let offset = 0; offset < piece.length; ) {
        const take = Math.min(chunkBytes - pendingBytes, piece.length - offset);
        pending.push(piece.subarray(offset, offset + take));
        pendingBytes += take;
        offset += take;
        if (pendingBytes === chunkBytes) {
          const chunk = Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
          await send(chunk);
        }
      }
    }
    if (pendingBytes > 0) await send(Buffer.concat(pending, pendingBytes));
    while (inFlight.length > 0) await inFlight.shift();
  } catch (error) {
    await Promise.allSettled(inFlight);
    await purgeChunks();
    throw error;
  }
  // The fields nats.js writes, in its order; `metadata` and `headers` are never set by us.
  const info = {
    bucket: target.bucket,
    nuid: id,
    size,
    chunks,
    name,
    description: '',
    options: { max_chunk_size: chunkBytes },
    mtime: new Date().toISOString(),
    digest: `SHA-256=${base64UrlPadded(sha.digest())}`,
    deleted: false,
  };
  const rollup = headers();
  rollup.set('Nats-Rollup', 'sub');
  try {
    await target.js.publish(metaSubject(target.bucket, name), JSON.stringify(info), { headers: rollup });
  } catch (error) {
    // No answer is not no metadata: purging the chunks under metadata that did arrive would leave
    // a broken object. Look: ours arrived (done), another or none is there (purge), no answer (keep).
    const stored = await store.info(name).then(
      (found) => (found?.nuid === id ? 'ours' : 'not ours'),
      () => 'unknown',
    );
    if (stored === 'not ours') await purgeChunks();
    if (stored !== 'ours') throw error;
  }
  if (old) {
    await target.jsm.streams.purge(`OBJ_${target.bucket}`, { filter: `$O.${target.bucket}.C.${old.nuid}` }).catch(() => undefined);
  }
}

/** nats.js's metadata subject: the name base64url-encoded with padding, from its Latin-1 bytes (`btoa`). */
function metaSubject(bucket: string, name: string): string {
  return `$O.${bucket}.M.${toUrlAlphabet(btoa(name))}`;
}

/** Base64 in the URL alphabet, padding kept (nats.js's Base64UrlPaddedCodec). */
function base64UrlPadded(bytes: Buffer): string {
  return toUrlAlphabet(bytes.toString('base64'));
}

function toUrlAlphabet(base64: string): string {
  return base64.replaceAll('+', '-').replaceAll('/', '_');
}
