import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { topology } from '@mailroom/contracts';
import { SenderSlots, provisionTopology, type Stores } from '@mailroom/jetstream';
import type { JetStreamConnection } from '../src/connection/jetstream-connection';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(30_000);

describe('SenderSlots (real NATS)', () => {
  const namespace = uniqueNamespace('slots');
  let nc: NatsConnection;
  let stores: Stores;
  let nats: JetStreamConnection;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const jsm = await jetstreamManager(nc);
    ({ stores } = await provisionTopology(jetstream(nc), jsm, topology(namespace), { replicas: 1, budgetMs: 30_000 }));
    // What SenderSlots reads of the process's connection: its topology and the real manager.
    nats = { topology: topology(namespace), jsm, quick: jsm } as unknown as JetStreamConnection;
  });

  afterAll(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('adds up the slots every sender announced, drops a sender that withdrew or stopped renewing, and ignores other lease records', async () => {
    const [a, b, reader] = [new SenderSlots(stores, nats), new SenderSlots(stores, nats), new SenderSlots(stores, nats)];
    expect(await reader.total()).toBe(0);
    await a.announce(4);
    await b.announce(6);
    // A batch lease and a leader lease share the bucket.
    await stores.batchLeases.put('0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b.first.0', JSON.stringify({ owner: 'x', expiresAt: Date.now() }));
    await stores.batchLeases.put('leader.tracker', JSON.stringify({ owner: 'x', expiresAt: Date.now() }));
    expect(await reader.total()).toBe(10);
    await a.announce(5); // renewed with a new value: counted once
    expect(await reader.total()).toBe(11);
    await b.withdraw();
    expect(await reader.total()).toBe(5);
    // A minute later without a renewal, the record is a sender that is gone.
    expect(await reader.total(Date.now() + 60_000)).toBe(0);
  });
});
