import { windowOf } from './batch-dispatcher.service';

describe('windowOf: batches one newsletter may have in the queue', () => {
  it.each([
    // BATCH_WINDOW, senders' slots, newsletters in flight → window (once a batch of it has completed)
    [4, 0, 1, 4], // no sender announced itself: BATCH_WINDOW
    [4, 8, 1, 6], // 2 senders × 4, alone: all but the 2 kept free
    [4, 8, 2, 4], // two share: never below BATCH_WINDOW
    [4, 24, 1, 22], // 6 senders × 4: more senders, more in flight for one newsletter
    [4, 24, 3, 7],
    [1, 3, 5, 1],
  ])('BATCH_WINDOW %p, %p slots, %p newsletter(s) → %p', (batchWindow, slots, newsletters, expected) => {
    expect(windowOf(batchWindow, slots, newsletters, true)).toBe(expected);
  });

  it.each([
    [4, 8, 1],
    [4, 24, 1],
    [4, 24, 3],
    [2, 8, 1],
  ])('before any of its batches completed: BATCH_WINDOW %p whatever the slots (%p) and newsletters (%p)', (batchWindow, slots, newsletters) => {
    // Two newsletters sent a moment apart start as equals (see windowOf).
    expect(windowOf(batchWindow, slots, newsletters, false)).toBe(batchWindow);
  });
});
