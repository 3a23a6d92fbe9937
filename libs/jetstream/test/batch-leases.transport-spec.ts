import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { BatchLease, BatchLeases, JetStreamModule } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

type Claim = Awaited<ReturnType<BatchLeases['claim']>>;
const isLease = (claim: Claim): claim is BatchLease => claim instanceof BatchLease;

/**
 * Two sender processes (two NATS connections, two lease owners) competing for the same batch:
 * one works on it at a time, a crashed holder's lease runs out, and a process that holds a lease
 * makes its own second delivery of that batch wait too.
 */
const batch = (index: number) => ({ newsletterId: '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b', batchIndex: index });

describe('BatchLeases (real NATS)', () => {
  const namespace = uniqueNamespace('lease');
  const processes: INestApplicationContext[] = [];
  let a: BatchLeases;
  let b: BatchLeases;

  beforeAll(async () => {
    for (const service of ['sender-a', 'sender-b']) {
      processes.push(
        await NestFactory.createApplicationContext(
          JetStreamModule.forRoot({ service, config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 } }),
          { logger: false },
        ),
      );
    }
    [a, b] = processes.map((p) => p.get(BatchLeases)) as [BatchLeases, BatchLeases];
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.close()));
    await deleteNamespace(namespace);
  });

  it('is exclusive: while one process holds a batch, another is told how long to wait; after a release it gets it at once', async () => {
    const held = await a.claim(batch(1), 10_000);
    if (!isLease(held)) throw new Error(`expected a lease, got ${JSON.stringify(held)}`);
    expect(held.valid).toBe(true);

    const refused = await b.claim(batch(1), 10_000);
    expect(isLease(refused)).toBe(false);
    expect((refused as { heldForMs: number }).heldForMs).toBeGreaterThan(5_000);
    expect((refused as { heldForMs: number }).heldForMs).toBeLessThanOrEqual(10_000);
    await held.renew();
    expect(held.valid).toBe(true);

    await held.release();
    expect(held.valid).toBe(false);
    expect(isLease(await b.claim(batch(1), 10_000))).toBe(true);
    expect(isLease(await a.claim(batch(1), 10_000))).toBe(false);
  });

  it('makes a second claim of a batch this process holds wait like anyone else (a redelivery while the first still works)', async () => {
    const held = await a.claim(batch(2), 10_000);
    expect(isLease(held)).toBe(true);
    const again = await a.claim(batch(2), 10_000);
    expect(again).toEqual({ heldForMs: expect.any(Number) as number });
    await (held as BatchLease).release();
    expect(isLease(await a.claim(batch(2), 10_000))).toBe(true);
  });

  it("lets another process take over a lease its holder stopped renewing once it expires, and the old holder learns it lost it", async () => {
    const ttlMs = 1_500;
    const claimedAt = Date.now();
    const crashed = await a.claim(batch(3), ttlMs);
    if (!isLease(crashed)) throw new Error('expected a lease');

    const takeover = await waitFor(() => b.claim(batch(3), 10_000), isLease, {
      timeoutMs: 10_000,
      intervalMs: 100,
      description: 'the lease after its expiry',
    });
    // Not before the holder's time was up (the same clock on both sides here).
    expect(Date.now()).toBeGreaterThanOrEqual(claimedAt + ttlMs);
    expect(isLease(takeover) && takeover.valid).toBe(true);

    await crashed.renew();
    expect(crashed.valid).toBe(false);
    expect(isLease(await a.claim(batch(3), 10_000))).toBe(false);
  });
});
