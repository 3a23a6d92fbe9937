import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { topology, type LedgerEntry } from '@mailroom/contracts';
import { DeliveryLedger, provisionTopology } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(30_000);

const entry = (email: string, state: LedgerEntry['state']): LedgerEntry => ({ state, email, attempts: 1, at: new Date().toISOString() });

describe('DeliveryLedger (real NATS)', () => {
  const namespace = uniqueNamespace('ledger');
  let nc: NatsConnection;
  let ledger: DeliveryLedger;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const { stores } = await provisionTopology(jetstream(nc), await jetstreamManager(nc), topology(namespace), { replicas: 1, budgetMs: 30_000 });
    ledger = new DeliveryLedger(stores);
  });

  afterAll(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('opens a new batch empty, and on every later opening (a redelivery, a re-drive) returns what was recorded for that batch only', async () => {
    const newsletterId = '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b';
    expect(await ledger.openBatch(newsletterId, 7)).toEqual(new Map());
    expect(await ledger.openBatch(newsletterId, 8)).toEqual(new Map());
    // Writes made in one turn of the event loop go out together; each still resolves on its own.
    await Promise.all([
      ledger.record(newsletterId, 7, entry('a@example.org', 'accepted')),
      ledger.record(newsletterId, 7, entry('b@example.org', 'deferred')),
      ledger.record(newsletterId, 8, entry('c@example.org', 'accepted')),
    ]);
    await ledger.record(newsletterId, 7, entry('b@example.org', 'accepted'));

    const reopened = await ledger.openBatch(newsletterId, 7);
    expect([...reopened.values()].map((e) => [e.email, e.state]).sort()).toEqual([
      ['a@example.org', 'accepted'],
      ['b@example.org', 'accepted'],
    ]);
    expect(await ledger.readBatch(newsletterId, 7)).toEqual(reopened);
    expect([...(await ledger.openBatch(newsletterId, 8)).values()].map((e) => e.email)).toEqual(['c@example.org']);
  });
});
