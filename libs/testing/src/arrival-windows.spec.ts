import { longestGap } from './arrival-windows';

describe('longestGap', () => {
  it.each([
    [[], { gapMs: 0, from: 0 }],
    [[5], { gapMs: 0, from: 5 }],
    [[0, 100, 200], { gapMs: 100, from: 0 }],
    // Arrivals need not come in order; the gap is between neighbours in time.
    [[900, 0, 100, 8_100], { gapMs: 7_200, from: 900 }],
  ])('%p → %p', (times, expected) => {
    expect(longestGap(times)).toEqual(expected);
  });
});
