import { AddressKeySet, hash64 } from './address-key-set';

describe('AddressKeySet', () => {
  it('adds an address once and reports later adds as duplicates', () => {
    const set = new AddressKeySet();
    expect(set.add('ann@example.org')).toBe(true);
    expect(set.add('bob@example.org')).toBe(true);
    expect(set.add('ann@example.org')).toBe(false);
    expect(set.size).toBe(2);
    expect(set.has('ann@example.org')).toBe(true);
    expect(set.has('eve@example.org')).toBe(false);
  });

  it('is exact about case: local parts are case-sensitive, as normalizeAddress keeps them', () => {
    const set = new AddressKeySet();
    set.add('Ann@example.org');
    expect(set.has('ann@example.org')).toBe(false);
  });

  it('grows past its first capacity and keeps every member', () => {
    const set = new AddressKeySet(4);
    const addresses = Array.from({ length: 5000 }, (_, i) => `reader${i}@example.org`);
    for (const address of addresses) expect(set.add(address)).toBe(true);
    expect(set.size).toBe(5000);
    expect(addresses.every((a) => set.has(a))).toBe(true);
    expect(set.add('reader4999@example.org')).toBe(false);
  });

  it('has no collision among 300,000 similar addresses', () => {
    const set = new AddressKeySet(300_000);
    let added = 0;
    for (let i = 0; i < 300_000; i += 1) if (set.add(`r${i}@example.org`)) added += 1;
    expect(added).toBe(300_000);
  });

  it('never hashes to the empty-slot marker', () => {
    expect(hash64('')).not.toEqual([0, 0]);
    expect(new AddressKeySet().add('')).toBe(true);
  });
});
