import { KeyedBatcher } from './keyed-batcher';

/** Lets the promise callbacks queued so far run (fake timers do not advance them). */
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

function batcher(send: (key: string, items: readonly number[]) => Promise<void> = () => Promise.resolve()) {
  const sent: Array<{ key: string; items: number[] }> = [];
  const b = new KeyedBatcher<number>({
    maxBatch: 3,
    maxWaitMs: 1_000,
    send: (key, items) => {
      sent.push({ key, items: [...items] });
      return send(key, items);
    },
  });
  return { b, sent };
}

describe('KeyedBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a full batch at once, without waiting', async () => {
    const { b, sent } = batcher();
    const done = [1, 2, 3].map((n) => b.add('a', n));
    await settle();
    expect(sent).toEqual([{ key: 'a', items: [1, 2, 3] }]);
    await expect(Promise.all(done)).resolves.toBeDefined();
    expect(b.keys).toBe(0);
  });

  it('sends what waits once the oldest item has waited maxWaitMs, not before', async () => {
    const { b, sent } = batcher();
    const first = b.add('a', 1);
    jest.advanceTimersByTime(600);
    const second = b.add('a', 2);
    jest.advanceTimersByTime(399);
    await settle();
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(sent).toEqual([{ key: 'a', items: [1, 2] }]);
    await Promise.all([first, second]);
  });

  it('keeps keys apart', async () => {
    const { b, sent } = batcher();
    const all = [b.add('a', 1), b.add('b', 2), b.add('a', 3), b.add('a', 4)];
    await settle();
    expect(sent).toEqual([{ key: 'a', items: [1, 3, 4] }]);
    jest.advanceTimersByTime(1_000);
    await settle();
    expect(sent).toEqual([
      { key: 'a', items: [1, 3, 4] },
      { key: 'b', items: [2] },
    ]);
    await Promise.all(all);
  });

  it('sends one batch of a key at a time; what arrives meanwhile goes next, full ones at once', async () => {
    let release!: () => void;
    const { b, sent } = batcher((_key, items) => (items[0] === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve()));
    const all = [1, 2, 3, 4, 5, 6, 7].map((n) => b.add('a', n));
    await settle();
    expect(sent).toEqual([{ key: 'a', items: [1, 2, 3] }]);
    jest.advanceTimersByTime(5_000);
    await settle();
    expect(sent).toHaveLength(1);
    expect(b.waitingFor('a')).toBe(4);
    release();
    await settle();
    expect(sent).toHaveLength(2);
    // [4, 5, 6] was full: sent at once; [7] has waited more than maxWaitMs already: right after it.
    await settle();
    jest.advanceTimersByTime(0);
    await settle();
    expect(sent).toEqual([
      { key: 'a', items: [1, 2, 3] },
      { key: 'a', items: [4, 5, 6] },
      { key: 'a', items: [7] },
    ]);
    await Promise.all(all);
    expect(b.keys).toBe(0);
  });

  it('fails every item of a batch that could not be sent, and only those', async () => {
    const { b } = batcher((_key, items) => (items.includes(2) ? Promise.reject(new Error('receiver down')) : Promise.resolve()));
    const failed = [1, 2, 3].map((n) => b.add('a', n));
    const later = b.add('a', 4);
    await settle();
    for (const f of failed) await expect(f).rejects.toThrow('receiver down');
    jest.advanceTimersByTime(1_000);
    await expect(later).resolves.toBeUndefined();
  });

  it('fails the batch when send throws instead of rejecting', async () => {
    const b = new KeyedBatcher<number>({
      maxBatch: 1,
      maxWaitMs: 1_000,
      send: () => {
        throw new Error('bad');
      },
    });
    await expect(b.add('a', 1)).rejects.toThrow('bad');
    expect(b.keys).toBe(0);
  });
});
