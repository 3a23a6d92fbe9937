import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import {
  CasConflictError,
  InvalidBucketStateError,
  KvLeaseStore,
  SharedTokenBucket,
  type SharedBucketStats,
} from '@mailroom/rate-limit';
import { maxInClosedWindow } from '@mailroom/testing';

// Real NATS (2.9.10) at 127.0.0.1:4222, a throwaway KV bucket per run, deleted afterwards.
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const BUCKET = `rl-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

jest.setTimeout(60_000);

describe('KvLeaseStore over a real JetStream KV', () => {
  const connections: NatsConnection[] = [];
  let kv: KV;

  /** Each simulated replica gets its own connection, as separate pods would. */
  async function openKv(): Promise<KV> {
    const nc = await connect({ servers: NATS_URL });
    connections.push(nc);
    return new Kvm(nc).open(BUCKET);
  }

  beforeAll(async () => {
    const nc = await connect({ servers: NATS_URL });
    connections.push(nc);
    kv = await new Kvm(nc).create(BUCKET, { history: 1 });
  });

  afterAll(async () => {
    await kv?.destroy();
    await Promise.all(connections.map((nc) => nc.close()));
  });

  it('reads nothing, creates once, then updates only at the current revision', async () => {
    const store = new KvLeaseStore(kv, 'crud');
    await expect(store.read()).resolves.toBeNull();

    const first = await store.create({ tokens: 5, updatedAtMs: 1_000 });
    await expect(store.read()).resolves.toEqual({ state: { tokens: 5, updatedAtMs: 1_000 }, revision: first });
    await expect(store.create({ tokens: 9, updatedAtMs: 1_001 })).rejects.toBeInstanceOf(CasConflictError);

    const second = await store.update({ tokens: -1.5, updatedAtMs: 1_002 }, first);
    expect(second).toBeGreaterThan(first);
    const stale = store.update({ tokens: 0, updatedAtMs: 1_003 }, first);
    await expect(stale).rejects.toBeInstanceOf(CasConflictError);
    await expect(stale).rejects.toHaveProperty('cause.code', 10071);
    await expect(store.update({ tokens: 0, updatedAtMs: 1_003 }, 0)).rejects.toBeInstanceOf(CasConflictError);
    await expect(store.read()).resolves.toEqual({ state: { tokens: -1.5, updatedAtMs: 1_002 }, revision: second });
  });

  it('treats a deleted record as missing and can create it again', async () => {
    const store = new KvLeaseStore(kv, 'deleted');
    await store.create({ tokens: 1, updatedAtMs: 1 });
    await kv.delete('deleted');
    await expect(store.read()).resolves.toBeNull();
    const revision = await store.create({ tokens: 2, updatedAtMs: 2 });
    await expect(store.read()).resolves.toEqual({ state: { tokens: 2, updatedAtMs: 2 }, revision });
  });

  it('refuses a record that is not a bucket state', async () => {
    await kv.put('corrupt', 'not json');
    await expect(new KvLeaseStore(kv, 'corrupt').read()).rejects.toBeInstanceOf(InvalidBucketStateError);
    await kv.put('wrong-shape', JSON.stringify({ tokens: 'many' }));
    await expect(new KvLeaseStore(kv, 'wrong-shape').read()).rejects.toBeInstanceOf(InvalidBucketStateError);
  });

  it('three concurrent leasers stay within rate + burst in every 1 s window', async () => {
    const ratePerSecond = 100;
    const burst = 20; // chunk 10, ttl 50 ms, record capacity 15
    const target = 3 * ratePerSecond; // ends on a count, not on the clock
    const spends: number[] = [];
    const leasers = await Promise.all(
      [1, 2, 3].map(async () => new SharedTokenBucket({ store: new KvLeaseStore(await openKv(), 'shared'), ratePerSecond, burst })),
    );
    const perLeaser = [0, 0, 0];
    await Promise.all(
      leasers.map(async (bucket, i) => {
        while (spends.length < target) {
          // The leaser's own timestamp: the instant the token counted against the limit.
          spends.push(await bucket.take(1));
          perLeaser[i] = (perLeaser[i] as number) + 1;
        }
      }),
    );

    // The guarantee, on counts: unshared, three greedy leasers would each get up to 100/s.
    expect(maxInClosedWindow(spends, 1_000)).toBeLessThanOrEqual(ratePerSecond + burst);
    expect(maxInClosedWindow(spends, 100)).toBeLessThanOrEqual(burst + ratePerSecond / 10);
    // All three really shared the record.
    expect(perLeaser.every((n) => n > 0)).toBe(true);

    const stats = leasers.map((b) => b.stats());
    const sum = (key: keyof SharedBucketStats) => stats.reduce((total, s) => total + s[key], 0);
    // Few round trips: 2 per lease (+2 per lost race), well under one per token.
    expect(sum('storeRoundTrips')).toBeLessThan(sum('leasedTokens'));
    const spanSeconds = (Math.max(...spends) - Math.min(...spends)) / 1000;
    process.stdout.write(
      `3 leasers over KV: ${spends.length} tokens in ${spanSeconds.toFixed(2)} s ` +
        `(${(spends.length / spanSeconds).toFixed(1)}/s, configured ${ratePerSecond}/s + burst ${burst}); ` +
        `max in 1 s: ${maxInClosedWindow(spends, 1_000)}; per leaser ${perLeaser.join('/')}; ` +
        `leases ${sum('leases')}, round trips ${sum('storeRoundTrips')}, CAS conflicts ${sum('casConflicts')}, ` +
        `expired ${sum('expiredTokens')}\n`,
    );
  });
});
