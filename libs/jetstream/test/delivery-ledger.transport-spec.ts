import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { addressHash, topology, type LedgerEntry } from '@mailroom/contracts';
import { DeliveryLedger, provisionTopology, type Stores } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, kvStreamName, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(30_000);

const entry = (email: string, state: LedgerEntry['state']): LedgerEntry => ({ state, email, attempts: 1, at: new Date().toISOString() });

describe('DeliveryLedger (real NATS)', () => {
  const namespace = uniqueNamespace('ledger');
  let nc: NatsConnection;
  let ledger: DeliveryLedger;
  let stores: Stores;
  const olderNamespaces: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    ({ stores } = await provisionTopology(jetstream(nc), await jetstreamManager(nc), topology(namespace), { replicas: 1, budgetMs: 30_000 }));
    ledger = new DeliveryLedger(stores);
  });

  afterAll(async () => {
    await nc?.close();
    for (const ns of [namespace, ...olderNamespaces]) await deleteNamespace(ns);
  });

  it('opens a new batch empty, and on every later opening (a redelivery, a re-drive) returns what was recorded for that batch only', async () => {
    const newsletterId = '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b';
    const batch7 = ['a@example.org', 'b@example.org'];
    const batch8 = ['c@example.org'];
    expect(await ledger.openBatch(newsletterId, 7, batch7)).toEqual(new Map());
    expect(await ledger.openBatch(newsletterId, 8, batch8)).toEqual(new Map());
    // Writes made in one turn of the event loop go out together; each still resolves on its own.
    await Promise.all([
      ledger.record(newsletterId, 7, entry('a@example.org', 'accepted')),
      ledger.record(newsletterId, 7, entry('b@example.org', 'deferred')),
      ledger.record(newsletterId, 8, entry('c@example.org', 'accepted')),
    ]);
    await ledger.record(newsletterId, 7, entry('b@example.org', 'accepted'));

    const reopened = await ledger.openBatch(newsletterId, 7, batch7);
    expect([...reopened.values()].map((e) => [e.email, e.state]).sort()).toEqual([
      ['a@example.org', 'accepted'],
      ['b@example.org', 'accepted'],
    ]);
    expect(await ledger.readBatch(newsletterId, 7, batch7)).toEqual(reopened);
    expect([...(await ledger.openBatch(newsletterId, 8, batch8)).values()].map((e) => e.email)).toEqual(['c@example.org']);
  });

  it('marks engagement once per recipient and kind (a machine open apart from an open), beside feedback, leaving the outcome as it was', async () => {
    const newsletterId = '2d8b3e5f-1a4c-4b6d-9e7f-8a9b0c1d2e3f';
    await ledger.openBatch(newsletterId, 3, ['ann@example.org']);
    await ledger.record(newsletterId, 3, entry('ann@example.org', 'accepted'));
    const at = (minute: number) => `2026-12-01T10:0${minute}:00.000Z`;

    expect(await ledger.markEngagement(newsletterId, 3, 'ann@example.org', 'machineOpen', at(1))).toBe('first');
    // A machine open does not mark the recipient as having opened it.
    expect(await ledger.markEngagement(newsletterId, 3, 'ann@example.org', 'open', at(2))).toBe('first');
    expect(await ledger.markEngagement(newsletterId, 3, 'ann@example.org', 'open', at(3))).toBe('repeat');
    expect(await ledger.markEngagement(newsletterId, 3, 'ann@example.org', 'machineOpen', at(3))).toBe('repeat');
    expect(await ledger.markFeedback(newsletterId, 3, 'ann@example.org', 'complaint', at(4))).toBe('first');
    // Replicas marking at once: one of them is first.
    const marks = await Promise.all([5, 6, 7, 8].map((minute) => ledger.markEngagement(newsletterId, 3, 'ann@example.org', 'click', at(minute))));
    expect(marks.filter((m) => m === 'first')).toHaveLength(1);
    expect(marks.filter((m) => m === 'repeat')).toHaveLength(3);
    expect(await ledger.markEngagement(newsletterId, 3, 'nobody@example.org', 'open', at(1))).toBe('unknown');

    const [stored] = (await ledger.readBatch(newsletterId, 3, ['ann@example.org'])).values();
    expect(stored).toMatchObject({ state: 'accepted', email: 'ann@example.org', attempts: 1, feedback: { complaint: at(4) } });
    expect(stored?.engagement).toEqual({ machineOpen: at(1), open: at(2), click: expect.stringMatching(/^2026-12-01T10:0[5-8]/) });
  });

  it('claims each click once (by URL and time), also when replicas claim it at once, and keeps its markers out of every listing of entries', async () => {
    const newsletterId = '3e9c4f6a-2b5d-4c7e-8f9a-0b1c2d3e4f5a';
    const url = 'https://example.org/spring';
    await ledger.openBatch(newsletterId, 0, ['bo@example.org']);
    await ledger.record(newsletterId, 0, entry('bo@example.org', 'accepted'));

    expect(await ledger.claimClick(newsletterId, 0, 'bo@example.org', url, '2026-12-01T10:00:00.000Z')).toBe(true);
    // The same click again (its event redelivered), in any spelling of the same instant.
    expect(await ledger.claimClick(newsletterId, 0, 'bo@example.org', url, '2026-12-01T10:00:00.000Z')).toBe(false);
    expect(await ledger.claimClick(newsletterId, 0, 'bo@example.org', url, '2026-12-01T11:00:00.000+01:00')).toBe(false);
    // Another click: a millisecond later, or another link.
    expect(await ledger.claimClick(newsletterId, 0, 'bo@example.org', url, '2026-12-01T10:00:00.001Z')).toBe(true);
    expect(await ledger.claimClick(newsletterId, 0, 'bo@example.org', 'https://example.org/autumn', '2026-12-01T10:00:00.000Z')).toBe(true);
    const claims = await Promise.all([1, 2, 3, 4].map(() => ledger.claimClick(newsletterId, 0, 'bo@example.org', url, '2026-12-01T10:05:00.000Z')));
    expect(claims.filter(Boolean)).toHaveLength(1);

    const recorded: Array<{ batchIndex: number; addressHash: string }> = [];
    for await (const r of ledger.recipientsRecorded(newsletterId)) recorded.push(r);
    expect(recorded).toEqual([{ batchIndex: 0, addressHash: addressHash('bo@example.org') }]);
    expect((await ledger.outcomesOf('bo@example.org')).map((o) => [o.newsletterId, o.entry.state])).toEqual([[newsletterId, 'accepted']]);
    expect([...(await ledger.readBatch(newsletterId, 0, ['bo@example.org'])).values()].map((e) => e.state)).toEqual(['accepted']);
  });

  it('claims a recipient’s first click on each link, and an unsubscribe once per newsletter, keeping both markers out of every listing of entries', async () => {
    const newsletterId = '5ab1e6c8-4d7f-4e9a-8b1c-2d3e4f5a6b7c';
    const other = '6bc2f7d9-5e8a-4fab-9c2d-3e4f5a6b7c8d';
    await ledger.openBatch(newsletterId, 2, ['di@example.org']);
    await ledger.record(newsletterId, 2, entry('di@example.org', 'accepted'));

    expect(await ledger.claimLink(newsletterId, 2, 'di@example.org', 'https://example.org/spring')).toBe(true);
    expect(await ledger.claimLink(newsletterId, 2, 'di@example.org', 'https://example.org/spring')).toBe(false);
    expect(await ledger.claimLink(newsletterId, 2, 'di@example.org', 'https://example.org/autumn')).toBe(true);
    expect(await ledger.claimLink(newsletterId, 2, 'ed@example.org', 'https://example.org/spring')).toBe(true);
    const unsubscribes = await Promise.all([1, 2, 3].map(() => ledger.claimUnsubscribe(newsletterId, 'di@example.org')));
    expect(unsubscribes.filter(Boolean)).toHaveLength(1);
    expect(await ledger.claimUnsubscribe(newsletterId, 'di@example.org')).toBe(false);
    expect(await ledger.claimUnsubscribe(other, 'di@example.org')).toBe(true);

    const recorded: Array<{ batchIndex: number; addressHash: string }> = [];
    for await (const r of ledger.recipientsRecorded(newsletterId)) recorded.push(r);
    expect(recorded).toEqual([{ batchIndex: 2, addressHash: addressHash('di@example.org') }]);
    expect((await ledger.outcomesOf('di@example.org')).map((o) => [o.newsletterId, o.entry.state])).toEqual([[newsletterId, 'accepted']]);
    expect([...(await ledger.readBatch(newsletterId, 2, ['di@example.org'])).values()].map((e) => e.state)).toEqual(['accepted']);
  });

  it('finds the recipients of one batch by the first characters of their address hash (a bounce that names nobody), skipping markers and other batches', async () => {
    const newsletterId = '5b1c6e8a-4d7f-4e9a-8b0c-2d3e4f5a6b7c';
    const emails = ['Dee@example.org', 'eve@example.org', 'fay@example.org'];
    await ledger.openBatch(newsletterId, 2, emails);
    await Promise.all(emails.map((email) => ledger.record(newsletterId, 2, entry(email, 'accepted'))));
    // The same address in another batch, and a click marker under Dee's entry: neither is a match.
    await ledger.openBatch(newsletterId, 3, ['Dee@example.org']);
    await ledger.record(newsletterId, 3, entry('Dee@example.org', 'accepted'));
    expect(await ledger.claimClick(newsletterId, 2, 'Dee@example.org', 'https://example.org/', '2026-12-01T10:00:00.000Z')).toBe(true);

    const prefix = addressHash('Dee@example.org').slice(0, 8);
    expect(await ledger.recipientsOfBatchWithHashPrefix(newsletterId, 2, prefix)).toEqual([
      { addressHash: addressHash('Dee@example.org'), entry: expect.objectContaining({ email: 'Dee@example.org', state: 'accepted' }) },
    ]);
    // A shorter prefix can match several; a prefix nobody has, or another batch's, none.
    const all = await ledger.recipientsOfBatchWithHashPrefix(newsletterId, 2, addressHash('eve@example.org').slice(0, 1));
    expect(all.map((r) => r.entry.email)).toContain('eve@example.org');
    expect(await ledger.recipientsOfBatchWithHashPrefix(newsletterId, 2, 'zzzzzzzz')).toEqual([]);
    expect(await ledger.recipientsOfBatchWithHashPrefix(newsletterId, 4, prefix)).toEqual([]);
    expect(await ledger.recipientsOfBatchWithHashPrefix(newsletterId, 2, '*')).toEqual([]);
  });

  it('claims a click whose create was stored but its answer lost (retried) once, neither losing it nor counting it twice', async () => {
    const newsletterId = '4fa0d5b7-3c6e-4d8f-9a0b-1c2d3e4f5a6b';
    let creates = 0;
    // The real bucket, whose first create is stored by the server and then answered with a timeout.
    const ledgerKv = new Proxy(stores.ledger, {
      get(target, property, receiver) {
        if (property !== 'create') return Reflect.get(target, property, receiver) as unknown;
        return async (key: string, value: string) => {
          creates += 1;
          const revision = await target.create(key, value);
          if (creates === 1) throw new Error('TIMEOUT');
          return revision;
        };
      },
    });
    const flaky = new DeliveryLedger({ ...stores, ledger: ledgerKv });
    expect(await flaky.claimClick(newsletterId, 1, 'cy@example.org', 'https://example.org/', '2026-12-01T10:00:00.000Z')).toBe(true);
    // Retried: the second create met the first one's marker, which held this claim's value.
    expect(creates).toBe(2);
    expect(await flaky.claimClick(newsletterId, 1, 'cy@example.org', 'https://example.org/', '2026-12-01T10:00:00.000Z')).toBe(false);
  });

  it.each([
    ['a ledger bucket it created', () => Promise.resolve({ subject: ledger, ns: namespace })],
    [
      'a ledger bucket created before, with direct gets allowed (nats.js’s default)',
      async () => {
        const older = uniqueNamespace('ledger-old');
        olderNamespaces.push(older);
        await new Kvm(jetstream(nc)).create(topology(older).buckets.ledger, { history: 1 });
        const { stores } = await provisionTopology(jetstream(nc), await jetstreamManager(nc), topology(older), { replicas: 1, budgetMs: 30_000 });
        return { subject: new DeliveryLedger(stores), ns: older };
      },
    ],
  ])('asks the stream leader, never a replica, whether a batch was opened and what it recorded (%s)', async (_case, open) => {
    const { subject, ns } = await open();
    // A direct get (any replica answers) or a scan (an ephemeral consumer on any replica) can come
    // from a server back from an outage that has not caught up: a redelivered batch would look new.
    const stream = kvStreamName(topology(ns).buckets.ledger);
    const replicaReads: string[] = [];
    const leaderReads: string[] = [];
    const watches = [
      ...[`$JS.API.DIRECT.GET.${stream}`, `$JS.API.DIRECT.GET.${stream}.>`, `$JS.API.CONSUMER.CREATE.${stream}`, `$JS.API.CONSUMER.CREATE.${stream}.>`].map((s) =>
        nc.subscribe(s, { callback: (_error, msg) => void replicaReads.push(msg.subject) }),
      ),
      nc.subscribe(`$JS.API.STREAM.MSG.GET.${stream}`, { callback: (_error, msg) => void leaderReads.push(msg.subject) }),
    ];
    await nc.flush();

    const newsletterId = '1c7a2d4e-0f3b-4a5c-8d6e-7f8091a2b3c4';
    const recipients = ['a@example.org', 'b@example.org', 'c@example.org'];
    expect(await subject.openBatch(newsletterId, 0, recipients)).toEqual(new Map());
    await subject.record(newsletterId, 0, entry('b@example.org', 'accepted'));
    const reopened = await subject.openBatch(newsletterId, 0, recipients);
    await nc.flush();
    for (const watch of watches) watch.unsubscribe();

    expect([...reopened.values()].map((e) => e.email)).toEqual(['b@example.org']);
    expect(replicaReads).toEqual([]);
    // The second opening's create met the marker; then one read per recipient.
    expect(leaderReads.length).toBeGreaterThanOrEqual(recipients.length);
  });
});
