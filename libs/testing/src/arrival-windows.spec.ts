import { maxInHalfOpenWindow, observedRate } from './arrival-windows';

describe('maxInHalfOpenWindow', () => {
  it.each<[number[], number, number]>([
    [[], 1_000, 0],
    [[5], 1_000, 1],
    // The end is out: an arrival exactly one window after another falls in the next window.
    [[0, 1_000], 1_000, 1],
    [[0, 999], 1_000, 2],
    [[300, 0, 900, 1_000, 2_500], 1_000, 3],
  ])('%j within %i ms → %i', (times, windowMs, expected) => {
    expect(maxInHalfOpenWindow(times, windowMs)).toBe(expected);
  });

  it('measures the rate between the first and the last arrival', () => {
    expect(observedRate([0, 500, 1_000])).toBe(2);
    expect(observedRate([42])).toBe(0);
  });
});
