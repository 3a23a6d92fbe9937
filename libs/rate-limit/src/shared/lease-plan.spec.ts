import { RateLimitOptionsError } from '../rate-limit.errors';
import { planLeases } from './lease-plan';

describe('planLeases', () => {
  it.each([
    // [ratePerSecond, burst, expected chunk, ttl ms, capacity]
    [50, 10, 5, 50, 7.5],
    [50, 50, 5, 250, 37.5], // ttl capped at 250 ms
    [1_000, 100, 50, 25, 75],
    [2, 10, 1, 250, 9.5],
    [14, 14, 2, 250, 10.5],
    [50, 3, 1, 20, 2], // the smallest burst that works at 50/s
  ])('at %d/s with burst %d: chunk %d, ttl %d ms, record capacity %d', (ratePerSecond, burst, chunk, ttl, capacity) => {
    const plan = planLeases({ ratePerSecond, burst });
    expect(plan).toMatchObject({ leaseChunk: chunk, leaseTtlMs: ttl });
    expect(plan.capacity).toBeCloseTo(capacity, 9);
    // The guarantee's arithmetic: what the record can hold plus what leases may still spend = burst.
    expect(plan.capacity + (ratePerSecond * plan.leaseTtlMs) / 1000).toBeCloseTo(burst, 9);
  });

  it('keeps explicit chunk and ttl that fit', () => {
    expect(planLeases({ ratePerSecond: 100, burst: 30, leaseChunk: 10, leaseTtlMs: 200 })).toEqual({
      ratePerSecond: 100,
      burst: 30,
      leaseChunk: 10,
      leaseTtlMs: 200,
      maxReserveAheadMs: 1_000,
      capacity: 10,
    });
  });

  it.each([
    ['a burst too small for the default ttl', { ratePerSecond: 50, burst: 2 }, /use a burst of at least 3/],
    ['a ttl that eats the whole burst', { ratePerSecond: 100, burst: 30, leaseChunk: 10, leaseTtlMs: 250 }, /cannot cover/],
    ['a ttl below the minimum', { ratePerSecond: 10, burst: 10, leaseTtlMs: 5 }, /at least 20/],
    ['a fractional chunk', { ratePerSecond: 10, burst: 10, leaseChunk: 1.5 }, /leaseChunk/],
    ['a zero rate', { ratePerSecond: 0, burst: 10 }, /ratePerSecond/],
  ])('rejects %s', (_label, options, message) => {
    expect(() => planLeases(options)).toThrow(RateLimitOptionsError);
    expect(() => planLeases(options)).toThrow(message);
  });
});
