import type { ObjectStore } from '@nats-io/obj';

/** JSON documents and NDJSON lists in the JetStream Object Store. */
export class ContentStore {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(private readonly store: ObjectStore) {}

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

  /** Reads an NDJSON object line by line; null when the object does not exist. */
  async readLines<T>(name: string): Promise<AsyncIterable<T> | null> {
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
}

function toAsyncIterator<T>(items: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
}
