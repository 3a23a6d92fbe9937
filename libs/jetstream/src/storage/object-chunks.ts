import { createHash } from 'node:crypto';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { ObjectInfo } from '@nats-io/obj';

/** Where an object store's messages live (`OBJ_<bucket>`), for reading its chunks one by one. */
export interface PacedObjectReads {
  readonly jsm: JetStreamManager;
  readonly bucket: string;
}

export class CorruptObjectError extends Error {
  override readonly name = 'CorruptObjectError';
}

/**
 * An object's chunks in order, each fetched from the stream only when the one before has been
 * taken (one request ahead, to hide the round trip). `ObjectStore.get` instead pushes every chunk
 * into its stream as fast as the server sends them, whatever the reader's pace: reading a large
 * object slowly (the splitter publishing batches of a million-row list) would hold the whole
 * object in memory. Checks the object's SHA-256 at the end, as `get` does.
 */
export async function* readObjectChunks(reads: PacedObjectReads, info: ObjectInfo): AsyncGenerator<Uint8Array> {
  const stream = `OBJ_${reads.bucket}`;
  const subject = `$O.${reads.bucket}.C.${info.nuid}`;
  const fetch = (fromSeq: number) => {
    // Direct get (object store streams allow it): answered by any replica, typed for next_by_subj.
    const message = reads.jsm.direct.getMessage(stream, { next_by_subj: subject, seq: fromSeq });
    // Awaited below; this only keeps an abandoned read-ahead from becoming an unhandled rejection.
    message.catch(() => undefined);
    return message;
  };
  const sha = createHash('sha256');
  let next = info.chunks > 0 ? fetch(1) : null;
  for (let chunk = 1; chunk <= info.chunks; chunk += 1) {
    const message = await next;
    if (!message) throw new CorruptObjectError(`Object ${info.name}: chunk ${chunk} of ${info.chunks} is missing`);
    next = chunk < info.chunks ? fetch(message.seq + 1) : null;
    sha.update(message.data);
    yield message.data;
  }
  const expected = info.digest.replace(/^SHA-256=/i, '').replace(/=+$/, '');
  if (sha.digest('base64url') !== expected) throw new CorruptObjectError(`Object ${info.name}: its content does not match its SHA-256 digest`);
}
