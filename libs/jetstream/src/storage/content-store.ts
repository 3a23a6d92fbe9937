import type { ObjectStore } from '@nats-io/obj';
import { ContentObjects } from '@mailroom/contracts';
import { readObjectChunks } from './object-chunks';
import { writeObject, type ObjectWrites } from './object-writer';

/** JSON documents and NDJSON lists in the JetStream Object Store. */
export class ContentStore {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly store: ObjectStore,
    /**
     * The bucket's stream, written and read a chunk at a time by our own code (`writeObject`,
     * `readObjectChunks`): faster writes than the object store's, and reads at the reader's pace
     * (objects too large to buffer whole).
     */
    private readonly stream: ObjectWrites,
  ) {}

  async putJson(name: string, value: unknown): Promise<void> {
    await writeObject(this.stream, this.store, name, [this.encoder.encode(JSON.stringify(value))]);
  }

  async getJson<T>(name: string): Promise<T | null> {
    const data = await this.store.getBlob(name);
    return data === null ? null : (JSON.parse(this.decoder.decode(data)) as T);
  }

  /** Stores items as NDJSON, chunked as they are produced, without building one big string. */
  async putLines(name: string, items: Iterable<unknown> | AsyncIterable<unknown>): Promise<void> {
    await writeObject(this.stream, this.store, name, ndjsonChunks(items));
  }

  /**
   * Stores bytes as they are produced (e.g. NDJSON written while a request body is parsed). The
   * next piece is taken only once the chunks before it are on their way (see `writeObject`), so a
   * slow store slows the producer instead of filling memory. If `chunks` throws, nothing is stored
   * (the chunks already sent are purged) and the error is rethrown as is.
   */
  async putChunks(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    await writeObject(this.stream, this.store, name, chunks);
  }

  /** Whether an object exists (and is not deleted). */
  async exists(name: string): Promise<boolean> {
    const info = await this.store.info(name);
    return info !== null && !info.deleted;
  }

  /** Reads an NDJSON object line by line; null when the object does not exist. */
  async readLines<T>(name: string): Promise<AsyncIterable<T> | null> {
    const info = await this.store.info(name);
    if (info === null || info.deleted) return null;
    return ndjsonLines<T>(readObjectChunks(this.stream, info));
  }

  async delete(name: string): Promise<void> {
    await this.store.delete(name);
  }

  /** Removes everything stored for a newsletter (its content, inline recipients, kept request); missing ones are skipped. */
  async removeNewsletter(newsletterId: string): Promise<void> {
    const names = [ContentObjects.content(newsletterId), ContentObjects.recipients(newsletterId), ContentObjects.request(newsletterId)];
    for (const name of names) await this.store.delete(name);
  }
}

/** NDJSON values from chunks of UTF-8 (lines may span chunks). */
async function* ndjsonLines<T>(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const line = text.slice(start, newline);
      if (line.trim()) yield JSON.parse(line) as T;
      start = newline + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.trim()) yield JSON.parse(carry) as T;
}

/**
 * Items as NDJSON in pieces of about 64 KB: no one big string for a list of millions. A plain
 * iterable stays plain (no await per item).
 */
function ndjsonChunks(items: Iterable<unknown> | AsyncIterable<unknown>): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  const pieces = new NdjsonPieces();
  return Symbol.asyncIterator in items
    ? (async function* fromAsync() {
        for await (const item of items) {
          const piece = pieces.add(item);
          if (piece) yield piece;
        }
        const last = pieces.end();
        if (last) yield last;
      })()
    : (function* fromSync() {
        for (const item of items) {
          const piece = pieces.add(item);
          if (piece) yield piece;
        }
        const last = pieces.end();
        if (last) yield last;
      })();
}

class NdjsonPieces {
  private static readonly BYTES = 64 * 1024;
  private piece = '';

  /** The piece this item completes, if it does. */
  add(item: unknown): Uint8Array | undefined {
    this.piece += `${JSON.stringify(item)}\n`;
    return this.piece.length >= NdjsonPieces.BYTES ? this.end() : undefined;
  }

  /** What is left, if anything. */
  end(): Uint8Array | undefined {
    const piece = this.piece;
    this.piece = '';
    return piece ? Buffer.from(piece) : undefined;
  }
}
