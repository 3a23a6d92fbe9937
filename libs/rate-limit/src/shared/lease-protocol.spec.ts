import { CasConflictError } from '../rate-limit.errors';
import { ManualClock } from '../testing/manual-clock';
import { seededRandom } from '../testing/seeded-random';
import { maxInClosedWindow } from '../testing/window-counts';
import { InMemoryLeaseStore } from './in-memory-lease-store';
import { leaseTokens, type LeaseContext } from './lease-protocol';
import type { LeaseStore } from './lease-store';

function setup(overrides: Partial<LeaseContext> = {}) {
  const clock = new ManualClock(10_000);
  const store = new InMemoryLeaseStore();
  const context: LeaseContext = {
    store,
    capacity: 10,
    ratePerSecond: 100,
    leaseTtlMs: 50,
    maxReserveAheadMs: 100,
    clock,
    sleep: clock.sleep,
    random: () => 0.5,
    maxCasAttempts: 5,
    casBackoffMs: 4,
    ...overrides,
  };
  return { clock, store, context };
}

describe('leaseTokens', () => {
  it('creates a missing record full, minus the lease, in one write', async () => {
    const { clock, store, context } = setup();
    const outcome = await leaseTokens(context, 4);
    expect(outcome).toEqual({
      grantedTokens: 4,
      leasedAtMs: 10_000,
      validFromMs: 10_000,
      expiresAtMs: 10_050,
      retryAfterMs: 0,
      casConflicts: 0,
      storeRoundTrips: 2,
      clockBehindMs: 0,
    });
    expect((await store.read())?.state).toEqual({ tokens: 6, updatedAtMs: clock.now() });
  });

  it.each([
    // [label, stored tokens, ms since stored, request, granted, valid after ms, retryAfterMs, tokens left in record]
    ['enough stored', 5, 0, 5, 5, 0, 0, 0],
    ['enough after refill from the stored timestamp', 0, 30, 3, 3, 0, 0, 0],
    ['not enough yet: reserved, valid once refilled', 0, 30, 5, 5, 20, 0, -2],
    ['behind an earlier reservation: queued after it', -4, 0, 5, 5, 90, 0, -9],
    ['too far ahead: refused, told when to ask again', -4, 0, 8, 0, undefined, 20, undefined],
    ['refill capped at capacity after an idle hour', 0, 3_600_000, 10, 10, 0, 0, 0],
  ])('%s', async (_label, tokens, sinceMs, request, granted, validAfterMs, retryAfterMs, left) => {
    const { clock, store, context } = setup();
    await store.create({ tokens, updatedAtMs: clock.now() });
    clock.advance(sinceMs);
    const before = await store.read();
    const outcome = await leaseTokens(context, request);
    expect(outcome.grantedTokens).toBe(granted);
    expect(outcome.retryAfterMs).toBe(retryAfterMs);
    const after = await store.read();
    if (left === undefined) {
      // A refusal writes nothing: one round trip, record untouched.
      expect(after).toEqual(before);
      expect(outcome.storeRoundTrips).toBe(1);
    } else {
      expect(outcome.validFromMs).toBe(clock.now() + (validAfterMs ?? 0));
      expect(outcome.expiresAtMs).toBe(outcome.validFromMs + 50);
      expect(after?.state.tokens).toBeCloseTo(left, 9);
      expect(after?.state.updatedAtMs).toBe(clock.now());
    }
  });

  it('re-reads after losing a CAS race and never grants what the winner took', async () => {
    // A and B both read revision 1 before either writes; A writes first, B's CAS fails, B re-reads.
    const { clock, store, context } = setup({ random: () => 0 });
    await store.create({ tokens: 10, updatedAtMs: clock.now() });
    const [a, b] = await Promise.all([leaseTokens(context, 6), leaseTokens(context, 6)]);
    expect(a).toMatchObject({ grantedTokens: 6, validFromMs: 10_000, casConflicts: 0 });
    // B's 6 come after A's: 4 are left, 2 more refill in 20 ms.
    expect(b).toMatchObject({ grantedTokens: 6, validFromMs: 10_020, casConflicts: 1, storeRoundTrips: 4 });
    expect((await store.read())?.state.tokens).toBe(-2);
  });

  it('lets every racer lease when the record holds enough for all', async () => {
    const { store, context } = setup({ random: () => 0 }); // no backoff, so no refill while racing
    const outcomes = await Promise.all([1, 2, 3].map(() => leaseTokens(context, 3)));
    expect(outcomes.map((o) => o.grantedTokens)).toEqual([3, 3, 3]);
    expect(outcomes.reduce((sum, o) => sum + o.casConflicts, 0)).toBeGreaterThan(0); // the create race
    expect((await store.read())?.state.tokens).toBeCloseTo(1, 9);
  });

  it('gives up after maxCasAttempts lost races, granting nothing', async () => {
    const { store, context } = setup();
    await store.create({ tokens: 10, updatedAtMs: context.clock.now() });
    const meddling: LeaseStore = {
      read: () => store.read(),
      create: (state) => store.create(state),
      update: (state, revision) => {
        store.bumpRevision(); // another replica always writes first
        return store.update(state, revision);
      },
    };
    const outcome = await leaseTokens({ ...context, store: meddling }, 1);
    expect(outcome).toMatchObject({ grantedTokens: 0, casConflicts: 5, storeRoundTrips: 10, retryAfterMs: 0 });
    // Backoff grew with the attempt number: 0.5 × 4 ms × (1 + 2 + 3 + 4 + 5).
    expect(context.clock.now()).toBe(10_000 + 30);
  });

  it('reports a record stamped ahead of this clock, and credits no refill for it', async () => {
    const { clock, store, context } = setup();
    await store.create({ tokens: 0, updatedAtMs: clock.now() + 5_000 }); // another replica's clock runs 5 s ahead
    const outcome = await leaseTokens(context, 1);
    expect(outcome).toMatchObject({ grantedTokens: 1, clockBehindMs: 5_000, validFromMs: clock.now() + 10 });
    expect((await store.read())?.state).toEqual({ tokens: -1, updatedAtMs: clock.now() + 5_000 });
  });

  it('passes other store errors through', async () => {
    const { context } = setup();
    const broken: LeaseStore = {
      read: () => Promise.reject(new Error('nats: timeout')),
      create: () => Promise.reject(new CasConflictError('x')),
      update: () => Promise.reject(new CasConflictError('x')),
    };
    await expect(leaseTokens({ ...context, store: broken }, 1)).rejects.toThrow('nats: timeout');
  });

  it('stamps the lease after the read, so its expiry does not stretch with a slow write', async () => {
    const { clock, store, context } = setup();
    const slowWrite: LeaseStore = {
      read: () => store.read(),
      create: async (state) => {
        clock.advance(200); // the reply takes 200 ms, longer than the ttl
        return store.create(state);
      },
      update: (state, revision) => store.update(state, revision),
    };
    const outcome = await leaseTokens({ ...context, store: slowWrite }, 2);
    expect(outcome.leasedAtMs).toBe(10_000);
    expect(outcome.expiresAtMs).toBe(10_050);
    expect(clock.now()).toBeGreaterThanOrEqual(outcome.expiresAtMs); // already useless: the caller drops it
  });

  it('worst case: hoarded leases spent at their last valid instant stay within burst + rate per second', async () => {
    // capacity 10 + rate 100/s × ttl 50 ms = burst 15. Every token leased in the first ttl is spent
    // together just before it expires, and everything after is spent at once: the tightest pattern.
    const { clock, context } = setup();
    const burst = 15;
    const spikeAtMs = 10_000 + context.leaseTtlMs - 1;
    const spends: number[] = [];
    for (let ms = 0; ms < 3_000; ms++) {
      for (;;) {
        const outcome = await leaseTokens(context, 1);
        if (outcome.grantedTokens === 0) break;
        const spendAt = Math.max(outcome.validFromMs, Math.min(spikeAtMs, outcome.expiresAtMs - 1));
        spends.push(spendAt);
      }
      clock.advance(1);
    }
    const worst = maxInClosedWindow(spends, 1_000);
    expect(worst).toBeLessThanOrEqual(burst + 100);
    // …and the bound is tight, which is why the record holds back rate × ttl from the burst.
    expect(worst).toBeGreaterThanOrEqual(burst + 100 - 1);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'random replicas, lease sizes, clock steps and spend instants (seed %d): spends within burst + rate × W',
    async (seed) => {
      const random = seededRandom(seed);
      const { clock, context } = setup({ random });
      const burst = 15; // capacity 10 + 100/s × 50 ms
      const spends: number[] = [];
      for (let step = 0; step < 4_000; step++) {
        const outcome = await leaseTokens(context, 1 + Math.floor(random() * 10));
        // Anyone may spend any of its tokens at any instant of the lease's validity window.
        for (let i = 0; i < outcome.grantedTokens; i++) {
          spends.push(outcome.validFromMs + Math.floor(random() * (outcome.expiresAtMs - outcome.validFromMs)));
        }
        clock.advance(Math.floor(random() * 30));
      }
      for (const windowMs of [0, 10, 100, 1_000]) {
        expect(maxInClosedWindow(spends, windowMs)).toBeLessThanOrEqual(burst + (100 * windowMs) / 1000);
      }
    },
  );
});
