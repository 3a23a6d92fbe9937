import { RateLimitOptionsError } from '../rate-limit.errors';
import { ManualClock } from '../testing/manual-clock';
import { maxInClosedWindow } from '../testing/window-counts';
import { TokenBucket } from './token-bucket';

function bucket(ratePerSecond: number, burst: number, extra: { initialTokens?: number } = {}) {
  const clock = new ManualClock(1_000_000);
  return { clock, bucket: new TokenBucket({ ratePerSecond, burst, clock, sleep: clock.sleep, ...extra }) };
}

describe('TokenBucket', () => {
  it('starts full and hands out exactly its burst, then nothing until time passes', () => {
    const { bucket: b } = bucket(10, 5);
    const taken = Array.from({ length: 8 }, () => b.tryTake());
    expect(taken).toEqual([true, true, true, true, true, false, false, false]);
    expect(b.availableTokens()).toBe(0);
  });

  it.each([
    // [label, ratePerSecond, burst, initialTokens, advanceMs, expected available]
    ['empty, 100 ms at 10/s', 10, 5, 0, 100, 1],
    ['empty, 250 ms at 10/s', 10, 5, 0, 250, 2.5],
    ['empty, an hour later: capped at burst', 10, 5, 0, 3_600_000, 5],
    ['half full, 1 s at 2/s', 2, 10, 5, 1_000, 7],
    ['fractional rate 0.5/s over 3 s', 0.5, 3, 0, 3_000, 1.5],
  ])('refill: %s', (_label, rate, burst, initialTokens, advanceMs, expected) => {
    const { clock, bucket: b } = bucket(rate, burst, { initialTokens });
    clock.advance(advanceMs);
    expect(b.availableTokens()).toBeCloseTo(expected, 9);
  });

  it.each([
    // [ratePerSecond, burst, take count, expected wait from empty]
    [10, 5, 1, 100],
    [10, 5, 5, 500],
    [50, 10, 3, 60],
    [3, 3, 1, 334],
  ])('at %d/s (burst %d) %d token(s) from empty need %d ms', (rate, burst, count, expected) => {
    const { clock, bucket: b } = bucket(rate, burst, { initialTokens: 0 });
    expect(b.msUntilAvailable(count)).toBe(expected);
    clock.advance(expected - 1);
    expect(b.tryTake(count)).toBe(false);
    clock.advance(1);
    expect(b.tryTake(count)).toBe(true);
  });

  it('take waits exactly as long as needed and reports when the tokens were taken', async () => {
    const { clock, bucket: b } = bucket(4, 2, { initialTokens: 0 });
    const start = clock.now();
    await expect(b.take(2)).resolves.toBe(start + 500);
    await expect(b.take(1)).resolves.toBe(start + 750);
    expect(b.availableTokens()).toBe(0);
  });

  it('never hands out more than burst + rate × W over any window, under a greedy caller', async () => {
    const { clock, bucket: b } = bucket(20, 7);
    const takenAt: number[] = [];
    for (let i = 0; i < 500; i++) takenAt.push(await b.take(1 + (i % 3)));
    for (const windowMs of [1, 100, 1_000, 5_000]) {
      // take(k) counts k tokens at one instant.
      const counts = takenAt.flatMap((t, i) => Array<number>(1 + (i % 3)).fill(t));
      expect(maxInClosedWindow(counts, windowMs)).toBeLessThanOrEqual(7 + (20 * windowMs) / 1000);
    }
    expect(clock.now()).toBeGreaterThan(1_000_000);
  });

  describe('setRatePerSecond (AIMD)', () => {
    it('keeps what was earned at the old rate and neither loses nor mints tokens', () => {
      const { clock, bucket: b } = bucket(10, 100, { initialTokens: 0 });
      clock.advance(500); // 5 tokens earned at 10/s
      b.setRatePerSecond(2);
      expect(b.availableTokens()).toBeCloseTo(5, 9);
      clock.advance(500); // +1 at 2/s
      expect(b.availableTokens()).toBeCloseTo(6, 9);
      b.setRatePerSecond(40);
      expect(b.availableTokens()).toBeCloseTo(6, 9);
      clock.advance(100); // +4 at 40/s
      expect(b.availableTokens()).toBeCloseTo(10, 9);
    });

    it('shortens or lengthens a pending wait accordingly', () => {
      const { bucket: b } = bucket(10, 5, { initialTokens: 0 });
      expect(b.msUntilAvailable(1)).toBe(100);
      b.setRatePerSecond(5);
      expect(b.msUntilAvailable(1)).toBe(200);
      expect(b.ratePerSecond).toBe(5);
    });
  });

  it('stops waiting when aborted', async () => {
    const { bucket: b } = bucket(1, 1, { initialTokens: 0 });
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(b.take(1, { signal: controller.signal })).rejects.toThrow('shutting down');
  });

  it.each([
    ['a zero rate', { ratePerSecond: 0, burst: 1 }],
    ['a negative burst', { ratePerSecond: 1, burst: -1 }],
    ['an infinite rate', { ratePerSecond: Number.POSITIVE_INFINITY, burst: 1 }],
  ])('rejects %s', (_label, options) => {
    expect(() => new TokenBucket(options)).toThrow(RateLimitOptionsError);
  });

  it.each([[0], [1.5], [6]])('rejects a request for %p tokens from a bucket of 5', async (count) => {
    const { bucket: b } = bucket(10, 5);
    expect(() => b.tryTake(count)).toThrow(RangeError);
    await expect(b.take(count)).rejects.toThrow(RangeError);
  });
});
