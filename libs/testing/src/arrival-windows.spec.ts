import { longestGap, maxInClosedWindow, maxInWindow, observedRate } from './arrival-windows';

describe('arrival windows', () => {
  it.each([
    { times: [], windowMs: 1_000, halfOpen: 0, closed: 0 },
    { times: [0], windowMs: 1_000, halfOpen: 1, closed: 1 },
    // The two differ exactly at the window's end: a closed second also holds an arrival at t + 1 s.
    { times: [0, 1_000], windowMs: 1_000, halfOpen: 1, closed: 2 },
    { times: [0, 999, 1_000, 1_999, 2_000], windowMs: 1_000, halfOpen: 2, closed: 3 },
    { times: [500, 0, 100, 200], windowMs: 200, halfOpen: 2, closed: 3 },
  ])('$times in $windowMs ms: half-open $halfOpen, closed $closed', ({ times, windowMs, halfOpen, closed }) => {
    expect(maxInWindow(times, windowMs)).toBe(halfOpen);
    expect(maxInClosedWindow(times, windowMs)).toBe(closed);
  });

  it('measures the rate between the first and the last arrival', () => {
    expect(observedRate([0, 500, 1_000])).toBe(2);
    expect(observedRate([42])).toBe(0);
  });
});


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
