import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { NatsCluster, natsServerBinaries, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(120_000);

/**
 * The harness the cluster tests stand on: three servers form a JetStream cluster of their own,
 * and an R3 stream keeps taking and serving messages when its leader is killed (a new leader is
 * elected on another server), and the killed server catches up when it comes back.
 */
describe.each(natsServerBinaries().map((b) => [b.version, b] as const))('NatsCluster (nats-server %s)', (_version, binary) => {
  let cluster: NatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await NatsCluster.start({ binary: binary.path });
    nc = await connect({ servers: cluster.urls.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.destroy();
  });

  it('forms a three-server cluster with a JetStream meta leader, apart from the shared server', async () => {
    expect(cluster.version).toBe(binary.version);
    expect(cluster.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(cluster.urls.split(',')).toHaveLength(3);
    expect(cluster.urls).not.toContain(':4222');
    const leader = await cluster.waitForMetaLeader();
    expect(cluster.nodes.map((n) => n.name)).toContain(leader);
  });

  it('an R3 stream survives kill -9 of its leader: writes and reads go on, the server catches up on restart', async () => {
    const name = uniqueNamespace('cl');
    const subject = `${name}.msg`;
    const jsm = await jetstreamManager(nc, { timeout: 5_000 });
    const js = jetstream(nc, { timeout: 5_000 });
    await jsm.streams.add({ name, subjects: [subject], num_replicas: 3, storage: StorageType.File, retention: RetentionPolicy.Limits });
    for (let i = 0; i < 50; i += 1) await js.publish(subject, `before ${i}`);

    const leader = await cluster.streamLeader(name);
    await cluster.kill(leader);
    expect(cluster.node(leader).running).toBe(false);

    const next = await cluster.streamLeader(name);
    expect(next).not.toBe(leader);
    // Publishes during the election may time out: the client retries until the new leader answers.
    for (let i = 0; i < 50; i += 1) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await js.publish(subject, `after ${i}`, { msgID: `after-${i}` });
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }
    }
    expect((await jsm.streams.info(name)).state.messages).toBe(100);

    await cluster.restart(leader);
    await cluster.waitForStreamsCurrent([name]);
    const placement = await cluster.stream(name);
    expect(placement.replicas).toBe(3);
    expect([placement.leader, ...placement.followers.map((f) => f.name)].sort()).toEqual(['n1', 'n2', 'n3']);
    // Every message, once, read back through a new R3 consumer.
    await jsm.consumers.add(name, { durable_name: 'reader', num_replicas: 3 });
    expect(await cluster.consumerLeader(name, 'reader')).toMatch(/^n[123]$/);
    const read: string[] = [];
    for await (const m of await (await js.consumers.get(name, 'reader')).fetch({ max_messages: 200, expires: 3_000 })) read.push(m.string());
    expect(read.sort()).toEqual([...Array.from({ length: 50 }, (_, i) => `before ${i}`), ...Array.from({ length: 50 }, (_, i) => `after ${i}`)].sort());
    await jsm.streams.delete(name);
  });
});
