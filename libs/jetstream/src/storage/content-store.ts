import type { ObjectStore } from '@nats-io/obj';
import { ContentObjects } from '@mailroom/contracts';
import { readObjectChunks, type PacedObjectReads } from './object-chunks';

/** JSON documents and NDJSON lists in the JetStream Object Store. */
export class ContentStore {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly store: ObjectStore,
    /** Read lists a chunk at a time, at the reader's pace (for objects too large to buffer whole). */
    private readonly paced?: PacedObjectReads,
  ) {}

  async putJson(name: string, value: unknown): Promise<void> {
    await this.store.putBlob({ name }, this.encoder.encode(JSON.stringify(value)));
  }

  async getJson<T>(name: string): Promise<T | null> {
    const data = await this.store.getBlob(name);
    return data === null ? null : (JSON.parse(this.decoder.decode(data)) as T);
  }

  /** Stores items as NDJSON, chunked as they are produced, without building one big string. */
  async putLines(name: string, items: Iterable<unknown> | AsyncIterable<unknown>): Promise<void> {
    const encoder = this.encoder;
    const source = toAsyncIterator(items);
    const chunkBytes = 64 * 1024;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let chunk = '';
        while (chunk.length < chunkBytes) {
          const next = await source.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += `${JSON.stringify(next.value)}\n`;
        }
        controller.enqueue(encoder.encode(chunk));
      },
    });
    await this.store.put({ name }, stream);
  }

  /**
   * Stores bytes as they are produced (e.g. NDJSON written while a request body is parsed). The
   * object store pulls the next chunk only once the previous ones are on their way, so a slow
   * store slows the producer instead of filling memory. If `chunks` throws, nothing is stored
   * (the chunks already sent are purged) and the error is rethrown as is.
   */
  async putChunks(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const source = chunks[Symbol.asyncIterator]();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await source.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await source.return?.();
      },
    });
    await this.store.put({ name }, stream);
  }

  /** Whether an object exists (and is not deleted). */
  async exists(name: string): Promise<boolean> {
    const info = await this.store.info(name);
    return info !== null && !info.deleted;
  }

  /** Reads an NDJSON object line by line; null when the object does not exist. */
  async readLines<T>(name: string): Promise<AsyncIterable<T> | null> {
    if (this.paced) {
      const info = await this.store.info(name);
      if (info === null || info.deleted) return null;
      return ndjsonLines<T>(readObjectChunks(this.paced, info));
    }
    const result = await this.store.get(name);
    if (result === null) return null;
    const decoder = this.decoder;
    return (async function* lines() {
      let carry = '';
      const reader = result.data.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        carry += decoder.decode(value, { stream: true });
        let newline = carry.indexOf('\n');
        while (newline >= 0) {
          const line = carry.slice(0, newline);
          carry = carry.slice(newline + 1);
          if (line.trim()) yield JSON.parse(line) as T;
          newline = carry.indexOf('\n');
        }
      }
      if (carry.trim()) yield JSON.parse(carry) as T;
      const error = await result.error;
      if (error) throw error;
    })();
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

function toAsyncIterator<T>(items: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
}
