import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { topology, type LedgerEntry } from '@mailroom/contracts';
import { DeliveryLedger, provisionTopology } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, kvStreamName, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(30_000);

const entry = (email: string, state: LedgerEntry['state']): LedgerEntry => ({ state, email, attempts: 1, at: new Date().toISOString() });

describe('DeliveryLedger (real NATS)', () => {
  const namespace = uniqueNamespace('ledger');
  let nc: NatsConnection;
  let ledger: DeliveryLedger;
  const olderNamespaces: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const { stores } = await provisionTopology(jetstream(nc), await jetstreamManager(nc), topology(namespace), { replicas: 1, budgetMs: 30_000 });
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
