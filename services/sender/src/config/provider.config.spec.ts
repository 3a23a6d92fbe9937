import { planLeases } from '@mailroom/rate-limit';
import { defaultBurst } from './provider.config';
import { checkBucket } from './smtp-providers.parser';

describe('defaultBurst', () => {
  // Provider rates and per-newsletter caps use it unchecked at run time: it must always plan.
  it.each([0.01, 0.1, 0.5, 1, 2, 7, 14, 15, 20, 25, 50, 99.5, 100, 333, 1000, 5000, 100_000])('plans a shared bucket at %p/s', (rate) => {
    expect(() => planLeases({ ratePerSecond: rate, burst: defaultBurst(rate) })).not.toThrow();
  });

  it('is a fifth of a second of sending, at least 3', () => {
    expect([1, 14, 50, 1000].map(defaultBurst)).toEqual([3, 3, 10, 200]);
  });
});

describe('checkBucket', () => {
  it('names the smallest burst that works, which the plan then accepts', () => {
    for (const [rate, burst] of [[100, 5], [50, 2], [1000, 10], [14, 1]] as const) {
      const problem = checkBucket(rate, burst);
      const enough = Number(/at least (\d+)$/.exec(problem ?? '')?.[1]);
      expect(() => planLeases({ ratePerSecond: rate, burst: enough })).not.toThrow();
      expect(checkBucket(rate, enough - 1)).toBeDefined();
    }
  });
});
