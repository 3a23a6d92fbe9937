import { ManualClock } from '@mailroom/testing';
import { RateLimitOptionsError } from '../rate-limit.errors';
import { InMemoryLeaseStore } from './in-memory-lease-store';
import type { LeaseStore } from './lease-store';
import { SharedTokenBucket } from './shared-token-bucket';

function single(options: { ratePerSecond?: number; burst?: number; store?: LeaseStore } = {}) {
  const clock = new ManualClock(5_000);
  const store = options.store ?? new InMemoryLeaseStore();
  const bucket = new SharedTokenBucket({
    store,
    ratePerSecond: options.ratePerSecond ?? 100,
    burst: options.burst ?? 20,
    leaseChunk: 5,
    leaseTtlMs: 75, // record capacity 20 - 100/s × 75 ms = 12.5
    clock,
    sleep: clock.sleep,
    random: () => 0,
  });
  return { clock, store, bucket };
}

describe('SharedTokenBucket (one replica)', () => {
  it('leases a chunk once and spends it locally without further round trips', async () => {
    const { bucket } = single();
    expect(bucket.plan).toMatchObject({ leaseChunk: 5, leaseTtlMs: 75, capacity: 12.5 });
    for (let i = 0; i < 5; i++) await bucket.take(1);
    expect(bucket.stats()).toEqual({ leases: 1, leasedTokens: 5, expiredTokens: 0, casConflicts: 0, storeRoundTrips: 2, clockBehindMs: 0 });
    expect(bucket.heldTokens()).toBe(0);
  });

  it('tryTake spends only what is held and never touches the store', async () => {
    const { bucket } = single();
    expect(bucket.tryTake()).toBe(false);
    await bucket.take(1);
    expect([1, 2, 3, 4, 5].map(() => bucket.tryTake())).toEqual([true, true, true, true, false]);
    expect(bucket.stats().storeRoundTrips).toBe(2);
  });

  it('drops leased tokens at their expiry instead of banking them', async () => {
    const { clock, bucket } = single();
    await bucket.take(1);
    clock.advance(74);
    expect(bucket.heldTokens()).toBe(4);
    clock.advance(1);
    expect(bucket.heldTokens()).toBe(0);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.stats().expiredTokens).toBe(4);
    await bucket.take(1); // a new lease
    expect(bucket.stats().leases).toBe(2);
  });

  it('reserves the next chunk ahead of its refill and sleeps until it is valid: one lease per chunk, no polling', async () => {
    const { bucket } = single();
    const takenAt: number[] = [];
    for (let i = 0; i < 40; i++) takenAt.push(await bucket.take(1));
    // Two chunks at once (the record holds 12.5), the third 25 ms later (2.5 short at 100/s), then one per 50 ms.
    const chunkStarts = [0, 5, 10, 15, 20, 25, 30, 35].map((i) => (takenAt[i] as number) - 5_000);
    expect(chunkStarts).toEqual([0, 0, 25, 75, 125, 175, 225, 275]);
    expect(bucket.stats()).toMatchObject({ leases: 8, leasedTokens: 40, storeRoundTrips: 16, casConflicts: 0 });
  });

  it('leases what a large take lacks in one go', async () => {
    const { bucket } = single();
    await bucket.take(12);
    expect(bucket.stats()).toMatchObject({ leases: 1, leasedTokens: 12 });
  });

  it('refuses a take larger than the record can ever hold', async () => {
    const { bucket } = single();
    await expect(bucket.take(13)).rejects.toThrow(RangeError);
  });

  it('applies a lower (AIMD) rate to its refills, and never one above the configured rate', async () => {
    const { clock, bucket } = single();
    for (let i = 0; i < 10; i++) await bucket.take(1); // two chunks: the record keeps 12.5 - 10 = 2.5
    bucket.setRatePerSecond(10);
    const before = clock.now();
    for (let i = 0; i < 5; i++) await bucket.take(1); // the next chunk lacks 2.5 tokens: 250 ms at 10/s (25 at 100/s)
    expect(clock.now() - before).toBe(250);
    bucket.setRatePerSecond(1_000);
    expect(bucket.ratePerSecond).toBe(100);
  });

  it('rejects every waiter when the store fails, and tries again on the next take', async () => {
    const store = new InMemoryLeaseStore();
    let failing = true;
    const flaky: LeaseStore = {
      read: () => (failing ? Promise.reject(new Error('nats: disconnected')) : store.read()),
      create: (state) => store.create(state),
      update: (state, revision) => store.update(state, revision),
    };
    const { bucket } = single({ store: flaky });
    const results = await Promise.allSettled([bucket.take(1), bucket.take(1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    failing = false;
    await expect(bucket.take(1)).resolves.toBe(5_000);
  });

  it('stops waiting when aborted, without disturbing the others', async () => {
    const { bucket } = single();
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));
    await expect(bucket.take(1, { signal: controller.signal })).rejects.toThrow('shutdown');
    await expect(bucket.take(1)).resolves.toBe(5_000);
  });

  it('lets a waiter give up mid-lease; the round failing afterwards is no unhandled rejection', async () => {
    let failRead: (error: Error) => void = () => undefined;
    const hanging: LeaseStore = {
      read: () => new Promise((_resolve, reject) => (failRead = reject)),
      create: () => Promise.resolve(1),
      update: () => Promise.resolve(1),
    };
    const { bucket } = single({ store: hanging });
    const controller = new AbortController();
    const waiting = bucket.take(1, { signal: controller.signal });
    controller.abort(new Error('shutdown'));
    await expect(waiting).rejects.toThrow('shutdown');

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    failRead(new Error('nats: disconnected'));
    await new Promise((resolve) => setImmediate(resolve)); // let Node look for unhandled rejections
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('fails at construction when burst cannot cover the leases', () => {
    expect(() => new SharedTokenBucket({ store: new InMemoryLeaseStore(), ratePerSecond: 100, burst: 3 })).toThrow(
      RateLimitOptionsError,
    );
  });
});
