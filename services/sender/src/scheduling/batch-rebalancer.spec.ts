import { BatchPlacement } from './batch-rebalancer';

describe('BatchPlacement: which batches a sender sets aside when a newsletter holds more than its window', () => {
  it('a sender holding 4 of a newsletter whose window shrank to 4 of 8 slots keeps its part (2) and sets the 2 newest aside', () => {
    const placement = new BatchPlacement(4);
    const a = [1, 2, 3, 4].map(() => placement.track('a'));
    expect(placement.rebalance({ slots: 8, windows: { a: 4, b: 4 } })).toBe(2);
    expect(a.map((batch) => batch.setAside)).toEqual([false, false, true, true]);
    expect(placement.holding('a')).toBe(2);
  });

  it('a sender within its part of every window sets nothing aside', () => {
    const placement = new BatchPlacement(4);
    const batches = [placement.track('a'), placement.track('a'), placement.track('b'), placement.track('b')];
    expect(placement.rebalance({ slots: 8, windows: { a: 4, b: 4 } })).toBe(0);
    expect(batches.some((batch) => batch.setAside)).toBe(false);
  });

  it('the same signal again marks nothing more (the batches set aside are still finishing their sends)', () => {
    const placement = new BatchPlacement(4);
    [1, 2, 3].forEach(() => placement.track('a'));
    const signal = { slots: 8, windows: { a: 4 } };
    expect(placement.rebalance(signal)).toBe(1);
    expect(placement.rebalance(signal)).toBe(0);
  });

  it('newsletters the signal does not name are left alone, and a finished batch no longer counts', () => {
    const placement = new BatchPlacement(4);
    const [first, second, third] = [placement.track('a'), placement.track('a'), placement.track('a')];
    placement.track('c');
    first.done();
    first.done();
    expect(placement.holding('a')).toBe(2);
    expect(placement.rebalance({ slots: 8, windows: { a: 4, b: 4 } })).toBe(0);
    expect([second.setAside, third.setAside]).toEqual([false, false]);
    expect(placement.holding('c')).toBe(1);
  });

  it('parts follow the slots: a sender with 2 of 12 slots keeps 1 of a window of 4 (rounded up)', () => {
    const placement = new BatchPlacement(2);
    const batches = [placement.track('a'), placement.track('a')];
    expect(placement.rebalance({ slots: 12, windows: { a: 4 } })).toBe(1);
    expect(batches.map((batch) => batch.setAside)).toEqual([false, true]);
  });
});
