import { withMinThroughput } from './min-throughput';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* trickle(chunks: number, everyMs: number, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < chunks; i++) {
    await sleep(everyMs);
    yield new Uint8Array(size);
  }
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of body) bytes += chunk.byteLength;
  return bytes;
}

describe('withMinThroughput', () => {
  it('passes a body that arrives fast enough', async () => {
    await expect(drain(withMinThroughput(trickle(10, 5, 1000), { bytesPerSecond: 10_000, windowMs: 100 }))).resolves.toBe(10_000);
  });

  it('cuts off a trickled body with 408 naming the limit', async () => {
    await expect(drain(withMinThroughput(trickle(100, 30, 1), { bytesPerSecond: 10_000, windowMs: 100 }))).rejects.toMatchObject({
      status: 408,
      message: expect.stringContaining('IMPORT_MIN_BYTES_PER_SECOND'),
    });
  });

  it('cuts off a body that stops arriving at all', async () => {
    const stalled: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<Uint8Array>>(() => undefined) }) };
    await expect(drain(withMinThroughput(stalled, { bytesPerSecond: 1, windowMs: 50 }))).rejects.toMatchObject({ status: 408 });
  });

  it('does not count time the consumer spends on what arrived', async () => {
    let bytes = 0;
    for await (const chunk of withMinThroughput(trickle(3, 1, 100), { bytesPerSecond: 1000, windowMs: 50 })) {
      bytes += chunk.byteLength;
      await sleep(80);
    }
    expect(bytes).toBe(300);
  });

  it('is off at 0', async () => {
    await expect(drain(withMinThroughput(trickle(3, 20, 1), { bytesPerSecond: 0, windowMs: 10 }))).resolves.toBe(3);
  });
});
