import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { topology } from '@mailroom/contracts';
import {
  DeliveryLedger,
  FailureRecords,
  IdempotencyKeys,
  JetStreamModule,
  NewsletterRecords,
  Schedules,
  SuppressionRecords,
  GLOBAL_SUPPRESSIONS,
  tenantSuppressions,
} from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

const id = '5d0c6f4e-2b7a-4c1e-9f3d-8a1b2c3d4e5f';

/*
 * Entries exactly as the services stored them before the repositories existed (keys and JSON
 * copied from a real namespace): the repositories must read them as they are, with no migration.
 */
const STORED_RECORD = JSON.stringify({
  v: 1,
  id,
  status: 'sending',
  sendAt: null,
  test: false,
  cancelled: 0,
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:05.000Z',
  startedAt: '2026-11-28T10:00:01.000Z',
  completedAt: null,
  progress: [[1795860001000, 0]],
  submitted: 3,
  total: 3,
  duplicates: 0,
  sent: 1,
  failed: 0,
  suppressed: 0,
  batches: { total: 2, completed: 1 },
  countedBatches: 'AQ==',
  deadLetteredBatches: 0,
  rounds: {},
});
/** addressHash('ann@example.org') and addressHash('bob@example.org'): the last token of ledger, failure and suppression keys. */
const ANN = 'Q4xMev5gDN8eRVw2m-x23J';
const BOB = 'aGteTPT5Y6349RRopIAo74';
/** SHA-256 (base64url) of "ops\nkey-1": the idempotency key of caller `ops`, header `key-1`. */
const IDEMPOTENCY_KEY = 'ajauRRudxsFvFd2MUF9zAkvU2GaHpHd7_nWdxn_JSlc';
/** SHA-256 (base64url) of the request `{"subject":"Hi"}`. */
const FINGERPRINT = 'z19XgJKOo4vUDOFyKghbM5idjcJl6tCaqgoefe9XakI';

describe('repositories over stored data (real NATS)', () => {
  const namespace = uniqueNamespace('repo');
  const t = topology(namespace);
  let app: INestApplication;
  let nc: NatsConnection;
  const bucket = (name: string): Promise<KV> => new Kvm(nc).open(name);

  beforeAll(async () => {
    @Module({
      imports: [JetStreamModule.forRoot({ service: 'repositories-test', config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 } })],
    })
    class RepositoriesModule {}
    app = await NestFactory.create(RepositoriesModule, { logger: false });
    await app.init();
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('reads a stored newsletter record and moves it only as the status machine allows', async () => {
    await (await bucket(t.buckets.newsletters)).create(id, STORED_RECORD);
    const records = app.get(NewsletterRecords);
    expect(await records.get(id)).toEqual(JSON.parse(STORED_RECORD));

    // Counting batch 1 settles it; batch 0 was counted already (bit 0 of countedBatches).
    expect((await records.countBatch(id, { batchIndex: 0, sent: 1, failed: 0, suppressed: 0, occurredAt: '2026-11-28T10:00:06.000Z' })).kind).toBe('unchanged');
    const settled = await records.countBatch(id, { batchIndex: 1, sent: 2, failed: 0, suppressed: 0, occurredAt: '2026-11-28T10:00:07.000Z' });
    expect(settled).toMatchObject({ kind: 'updated', value: { status: 'completed', sent: 3 } });

    // A settled newsletter is neither paused nor cancelled nor queued again.
    expect((await records.pause(id)).kind).toBe('unchanged');
    expect((await records.cancel(id, new Date().toISOString())).kind).toBe('unchanged');
    expect((await records.queue(id)).kind).toBe('unchanged');
    expect((await records.get(id))?.status).toBe('completed');
    expect((await records.pause('00000000-0000-4000-8000-000000000000')).kind).toBe('missing');
  });

  it('reopens a counted dead batch as a round of its own, and refuses one not counted yet', async () => {
    const records = app.get(NewsletterRecords);
    expect(await records.reopenForRedrive(id, { round: 'redrive-7', batchIndex: 5 })).toBe('not-counted');
    expect(await records.reopenForRedrive(id, { round: 'redrive-7', batchIndex: 1 })).toBe('reopened');
    expect(await records.get(id)).toMatchObject({ status: 'sending', rounds: { 'redrive-7': { batches: 1, completed: 0 } } });
  });

  it('reads stored ledger, failure and suppression entries by their keys', async () => {
    const ledger = await bucket(t.buckets.ledger);
    await ledger.put(`${id}.0.opened`, '');
    await ledger.put(`${id}.0.${ANN}`, JSON.stringify({ state: 'accepted', email: 'ann@example.org', attempts: 1, at: '2026-11-28T10:00:02.000Z' }));
    await ledger.put(`${id}.1.${BOB}`, JSON.stringify({ state: 'failed', email: 'bob@example.org', attempts: 5, at: '2026-11-28T10:00:03.000Z' }));
    const recorded = [];
    for await (const r of app.get(DeliveryLedger).recipientsRecorded(id)) recorded.push(r);
    expect(recorded).toEqual([
      { batchIndex: 0, addressHash: ANN },
      { batchIndex: 1, addressHash: BOB },
    ]);
    expect([...(await app.get(DeliveryLedger).readBatch(id, 0, ['ann@example.org', 'bob@example.org'])).keys()]).toEqual([ANN]);

    const bob = { email: 'bob@example.org', batchIndex: 1, reason: '550 no such user', permanent: true, attempts: 1, at: '2026-11-28T10:00:03.000Z' };
    await (await bucket(t.buckets.failures)).put(`${id}.${BOB}`, JSON.stringify(bob));
    const failures = app.get(FailureRecords);
    expect((await failures.page(id, 0, 10)).items).toEqual([bob]);
    const hashes = [];
    for await (const hash of failures.addressHashes(id)) hashes.push(hash);
    expect(hashes).toEqual([BOB]);

    const suppressions = await bucket(t.buckets.suppressions);
    const ann = { email: 'ann@example.org', reason: 'unsubscribed', at: '2026-11-28T09:00:00.000Z', source: id };
    await suppressions.create(ANN, JSON.stringify(ann));
    const records = app.get(SuppressionRecords);
    // Stored before tenants (key = the bare address hash): the global list, which every tenant's sends honour.
    expect(await records.get('ann@example.org', GLOBAL_SUPPRESSIONS)).toEqual(ann);
    expect(await records.get('ann@example.org', tenantSuppressions('acme'))).toBeNull();
    expect(await records.suppressing('ann@example.org', 'acme')).toEqual({ scope: GLOBAL_SUPPRESSIONS, entry: ann });
    expect(await records.lastChange('ann@example.org', GLOBAL_SUPPRESSIONS)).toEqual({ kind: 'suppressed', entry: ann });
    expect((await records.page(GLOBAL_SUPPRESSIONS, 0, 10)).items).toEqual([ann]);
    expect(await records.add({ ...ann, reason: 'manual' }, GLOBAL_SUPPRESSIONS)).toEqual({ created: false, entry: ann });
    // A tenant's list: its own key, its own page; the global page does not show it.
    const bobEntry = { email: 'bob@example.org', reason: 'manual' as const, at: '2026-11-28T09:30:00.000Z', source: 'api:ops' };
    expect(await records.add(bobEntry, tenantSuppressions('acme'))).toEqual({ created: true, entry: bobEntry });
    expect(await suppressions.get(`t.acme.${BOB}`)).not.toBeNull();
    expect(await records.suppressing('bob@example.org', 'acme')).toEqual({ scope: tenantSuppressions('acme'), entry: bobEntry });
    expect(await records.suppressing('bob@example.org', 'other')).toBeNull();
    expect((await records.page(tenantSuppressions('acme'), 0, 10)).items).toEqual([bobEntry]);
    expect((await records.page(GLOBAL_SUPPRESSIONS, 0, 10)).items).toEqual([ann]);
    expect(await records.remove('ann@example.org', GLOBAL_SUPPRESSIONS)).toBe('removed');
    expect(await records.remove('ann@example.org', GLOBAL_SUPPRESSIONS)).toBe('absent');
    expect(await records.lastChange('ann@example.org', GLOBAL_SUPPRESSIONS)).toMatchObject({ kind: 'lifted' });
    expect((await records.page(GLOBAL_SUPPRESSIONS, 0, 10)).items).toEqual([]);
    expect(await records.remove('bob@example.org', tenantSuppressions('acme'))).toBe('removed');
  });

  it('replays a stored Idempotency-Key for the same request and refuses it for another', async () => {
    await (await bucket(t.buckets.idempotency)).create(IDEMPOTENCY_KEY, JSON.stringify({ id, fingerprint: FINGERPRINT, at: '2026-11-28T10:00:00.000Z' }));
    const keys = app.get(IdempotencyKeys);
    const claim = { caller: 'ops', key: 'key-1', id: '00000000-0000-4000-8000-000000000001' };
    expect(await keys.claim({ ...claim, request: { subject: 'Hi' } })).toEqual({ kind: 'replay', id });
    expect(await keys.claim({ ...claim, request: { subject: 'Bye' } })).toEqual({ kind: 'conflict' });
    expect((await keys.claim({ ...claim, key: 'key-2', request: { subject: 'Hi' } })).kind).toBe('new');
  });

  it('follows stored schedules live', async () => {
    const request = { newsletterId: id, occurredAt: '2026-11-28T10:00:00.000Z', contentObject: `newsletters/${id}/content.json`, submittedRecipients: 1, batchSize: 100 };
    await (await bucket(t.buckets.schedules)).put(id, JSON.stringify({ sendAt: '2027-01-01T09:00:00.000Z', request }));
    const seen: string[] = [];
    const live = await app.get(Schedules).follow((newsletterId, entry) => seen.push(`${newsletterId}:${entry?.sendAt ?? 'gone'}`));
    try {
      expect(live.get(id)).toEqual({ sendAt: '2027-01-01T09:00:00.000Z', request });
      await app.get(Schedules).remove(id);
      await waitFor(() => seen, (events) => events.includes(`${id}:gone`), { timeoutMs: 5_000, description: 'the removal to be followed' });
      expect(seen).toEqual([`${id}:2027-01-01T09:00:00.000Z`, `${id}:gone`]);
    } finally {
      live.close();
    }
  });
});
