import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { addressHash, suppressionKey, topology, type SuppressionEntry } from '@mailroom/contracts';
import { GLOBAL_SUPPRESSIONS, JetStreamModule, SuppressionList, SuppressionRecords, tenantSuppressions } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

const entry = (email: string, reason: SuppressionEntry['reason'], at: string): SuppressionEntry => ({ email, reason, at, source: 'test' });

/*
 * Suppressions as they were stored before mailbox keys: key = addressHash of the normalised
 * address as written (local part in its case). Written into a real bucket, upgraded, and checked
 * to suppress in any case.
 */
describe('suppression keys: old entries upgraded to mailbox keys (real NATS)', () => {
  const namespace = uniqueNamespace('supkeys');
  const t = topology(namespace);
  let app: INestApplication;
  let nc: NatsConnection;
  let kv: KV;

  beforeAll(async () => {
    @Module({
      imports: [JetStreamModule.forRoot({ service: 'suppression-keys-test', config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 } })],
      providers: [SuppressionList],
    })
    class TestModule {}
    app = await NestFactory.create(TestModule, { logger: false });
    await app.init();
    nc = await connect({ servers: TEST_NATS_URL });
    kv = await new Kvm(nc).open(t.buckets.suppressions);
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('moves every old-format key to its mailbox key, keeps entries already right, and suppresses in any case', async () => {
    const old = [
      entry('Reader2998@example.org', 'complained', '2026-11-01T10:00:00.000Z'),
      entry('READER6@example.org', 'unsubscribed', '2026-11-02T10:00:00.000Z'),
      entry('lower@example.org', 'bounced', '2026-11-03T10:00:00.000Z'),
    ];
    for (const e of old) await kv.create(addressHash(e.email), JSON.stringify(e));
    // The same mailbox stored twice in two spellings: the upgrade keeps the one already under the mailbox key.
    await kv.create(addressHash('Twice@example.org'), JSON.stringify(entry('Twice@example.org', 'bounced', '2026-11-04T10:00:00.000Z')));
    await kv.create(addressHash('twice@example.org'), JSON.stringify(entry('twice@example.org', 'manual', '2026-11-05T10:00:00.000Z')));

    const records = app.get(SuppressionRecords);
    const list = app.get(SuppressionList);
    // Before the upgrade, the old key of a capitalised address is found by no other spelling.
    expect(await records.get('reader2998@example.org', GLOBAL_SUPPRESSIONS)).toBeNull();

    // Scanned: the five old entries, then the two copies the upgrade wrote under mailbox keys.
    expect(await records.upgradeKeys(2)).toEqual({ scanned: 7, upgraded: 3 });
    for (const spelling of ['reader2998@example.org', 'Reader2998@example.org', 'READER2998@example.org']) {
      expect(await records.get(spelling, GLOBAL_SUPPRESSIONS)).toEqual(old[0]);
    }
    expect(await records.get('reader6@example.org', GLOBAL_SUPPRESSIONS)).toEqual(old[1]);
    expect(await records.get('LOWER@example.org', GLOBAL_SUPPRESSIONS)).toEqual(old[2]);
    expect((await records.get('TWICE@example.org', GLOBAL_SUPPRESSIONS))?.reason).toBe('manual');

    // Only mailbox keys are left, and the live list (splitter, sender) sees them.
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    expect(keys.sort()).toEqual(['reader2998', 'reader6', 'lower', 'twice'].map((l) => suppressionKey(`${l}@example.org`)).sort());
    await waitFor(
      () => list.has('reader2998@example.org', 'default') && list.has('READER6@example.org', 'default') && list.has('Twice@example.org', 'default'),
      (ok) => ok,
      { timeoutMs: 10_000, description: 'live suppression list sees the upgraded keys' },
    );

    // Run again: nothing left to move.
    expect(await records.upgradeKeys()).toEqual({ scanned: 4, upgraded: 0 });
  });

  it('adds, reads and removes by mailbox: one entry whatever the case', async () => {
    const records = app.get(SuppressionRecords);
    expect(await records.add(entry('New@example.org', 'manual', '2026-12-01T10:00:00.000Z'), GLOBAL_SUPPRESSIONS)).toMatchObject({ created: true });
    expect(await records.add(entry('new@example.org', 'bounced', '2026-12-01T11:00:00.000Z'), GLOBAL_SUPPRESSIONS)).toMatchObject({ created: false, entry: { email: 'New@example.org', reason: 'manual' } });
    expect(await records.remove('NEW@example.org', GLOBAL_SUPPRESSIONS)).toBe('removed');
    expect(await records.get('New@example.org', GLOBAL_SUPPRESSIONS)).toBeNull();
  });

  it('a tenant list keys by mailbox too, apart from the global list', async () => {
    const records = app.get(SuppressionRecords);
    const acme = tenantSuppressions('acme');
    expect(await records.add(entry('Ten@example.org', 'manual', '2026-12-01T10:00:00.000Z'), acme)).toMatchObject({ created: true });
    expect(await records.get('TEN@example.org', acme)).toMatchObject({ email: 'Ten@example.org' });
    expect(await records.get('ten@example.org', GLOBAL_SUPPRESSIONS)).toBeNull();
    // Already a mailbox key under its tenant prefix: the upgrade leaves it where it is.
    expect((await records.upgradeKeys()).upgraded).toBe(0);
    expect(await records.suppressing('ten@example.org', 'acme')).toMatchObject({ scope: acme });
  });
});
