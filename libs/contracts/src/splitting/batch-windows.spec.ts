import { parseBatchWindowsSignal, senderPartOfWindow } from './batch-windows';

describe('BatchWindowsSignal', () => {
  it('reads a signal and drops windows that are not positive whole numbers', () => {
    expect(parseBatchWindowsSignal(JSON.stringify({ slots: 8, windows: { a: 4, b: 0, c: 2.5, d: '3', e: 6 } }))).toEqual({ slots: 8, windows: { a: 4, e: 6 } });
  });

  it.each(['not json', 'null', '[]', JSON.stringify({ slots: 0, windows: {} }), JSON.stringify({ slots: 8 }), JSON.stringify({ slots: 8, windows: null })])(
    'is not a signal: %p',
    (json) => {
      expect(parseBatchWindowsSignal(json)).toBeUndefined();
    },
  );

  it.each([
    // window, this sender's slots, all slots → its part
    [4, 4, 8, 2],
    [6, 4, 8, 3],
    [4, 2, 12, 1],
    [7, 4, 24, 2],
    [4, 4, 0, 4], // slots unknown: the whole window
  ])('window %p, %p of %p slots → %p', (window, mine, all, part) => {
    expect(senderPartOfWindow(window, mine, all)).toBe(part);
  });
});
