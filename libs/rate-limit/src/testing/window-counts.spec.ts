import { maxInClosedWindow } from './window-counts';

describe('maxInClosedWindow', () => {
  it.each<[number[], number, number]>([
    [[], 1_000, 0],
    [[5], 1_000, 1],
    // Both ends count: events exactly one window apart share a window (a token bucket's bound holds over it).
    [[0, 1_000], 1_000, 2],
    [[0, 1_001], 1_000, 1],
    [[300, 0, 900, 1_000, 2_500], 1_000, 4],
  ])('%j within %i ms → %i', (times, windowMs, expected) => {
    expect(maxInClosedWindow(times, windowMs)).toBe(expected);
  });
});
