import { runLimited } from './run-limited';

describe('runLimited', () => {
  it('runs every item, never more than `limit` at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      done.push(n);
      running -= 1;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('stops starting new items after a failure and rethrows it', async () => {
    const started: number[] = [];
    await expect(
      runLimited([1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        await Promise.resolve();
        if (n === 2) throw new Error('lease lost');
      }),
    ).rejects.toThrow('lease lost');
    expect(started).toEqual([1, 2]);
  });
});
