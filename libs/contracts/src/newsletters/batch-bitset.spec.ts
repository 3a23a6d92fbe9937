import { BatchBitset } from './batch-bitset';

describe('BatchBitset', () => {
  it('remembers indexes across encode/decode', () => {
    const set = BatchBitset.decode('');
    for (const i of [0, 7, 8, 9_999]) set.add(i);
    const copy = BatchBitset.decode(set.encode());
    expect([0, 7, 8, 9_999].every((i) => copy.has(i))).toBe(true);
    expect([1, 6, 10, 9_998, 10_000, 1_000_000].some((i) => copy.has(i))).toBe(false);
  });

  it('stays small: 10,000 batches fit in about 1.7 KB of base64', () => {
    const set = BatchBitset.decode('');
    for (let i = 0; i < 10_000; i += 1) set.add(i);
    expect(set.encode().length).toBeLessThanOrEqual(1_668);
  });
});
