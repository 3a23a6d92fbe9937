import { shouldSignalWindows, windowOf } from './batch-dispatcher.service';

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

describe('shouldSignalWindows: when the senders are told to set aside what they hold beyond their part', () => {
  it.each([
    // a newsletter over its window, batches in the queue, senders' slots → signal
    [true, 10, 8, true], // a newsletter came after another's window grew: 2 of its batches wait for a slot
    [true, 7, 8, false], // a test send narrowed the windows, but a slot is free: nothing to gain
    [false, 12, 8, false], // nobody over its window
    [true, 10, 0, false], // no sender announced its slots
  ])('over %p, %p in the queue, %p slots → %p', (over, inQueue, slots, expected) => {
    expect(shouldSignalWindows(over, inQueue, slots)).toBe(expected);
  });
});
