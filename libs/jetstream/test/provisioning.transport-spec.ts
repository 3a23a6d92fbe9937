import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { topology } from '@mailroom/contracts';
import { provisionTopology, type ProvisioningMismatch } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(60_000);

describe('provisionTopology (real NATS)', () => {
  const namespace = uniqueNamespace('prov');
  const t = topology(namespace);
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  const namespaceStreams = async () => {
    const replicas = new Map<string, number>();
    for await (const info of jsm.streams.list()) {
      if (info.config.name.includes(namespace)) replicas.set(info.config.name, info.config.num_replicas);
    }
    return replicas;
  };

  it('creates every stream, bucket and object store once when several processes provision at the same moment', async () => {
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => provisionTopology(jetstream(nc), jsm, t, { replicas: 1, budgetMs: 30_000 })),
    );
    expect(runs.every((r) => r.mismatches.length === 0)).toBe(true);
    const streams = await namespaceStreams();
    // 6 streams, 11 KV buckets, 2 object stores.
    expect(streams.size).toBe(19);
    expect([...streams.values()].every((r) => r === 1)).toBe(true);
  });

  it('never rewrites the replicas of what exists: a process asking for 3 reports the difference and changes nothing', async () => {
    const { mismatches } = await provisionTopology(jetstream(nc), jsm, t, { replicas: 3, budgetMs: 30_000 });
    const replicaMismatches = mismatches.filter((m: ProvisioningMismatch) => m.setting === 'num_replicas');
    expect(replicaMismatches).toHaveLength(19);
    expect(replicaMismatches.every((m) => m.current === 1 && m.desired === 3)).toBe(true);
    expect([...(await namespaceStreams()).values()].every((r) => r === 1)).toBe(true);
  });

  it('adds a subject a stream lacks (a newer version listening on a new subject) and keeps the ones it has', async () => {
    const info = await jsm.streams.info(t.streams.events);
    const [kept, ...dropped] = info.config.subjects;
    expect(dropped.length).toBeGreaterThan(0);
    await jsm.streams.update(t.streams.events, { ...info.config, subjects: [kept!] });
    await provisionTopology(jetstream(nc), jsm, t, { replicas: 1, budgetMs: 30_000 });
    const after = await jsm.streams.info(t.streams.events);
    expect(after.config.subjects.sort()).toEqual([kept!, ...dropped].sort());
  });
});
