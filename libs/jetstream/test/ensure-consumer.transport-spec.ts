import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { ensureDurableConsumer, type DurableConsumerSpec } from '../src/provisioning/ensure-consumer';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(60_000);

const nanos = (ms: number) => ms * 1_000_000;

/** What every replica of a service runs at boot for each durable consumer it binds. */
describe('ensureDurableConsumer (real NATS)', () => {
  const namespace = uniqueNamespace('cons');
  const stream = `${namespace}-work`;
  const budget = { budgetMs: 10_000 };
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  const spec = (overrides: Partial<DurableConsumerSpec> = {}): DurableConsumerSpec => ({
    stream,
    durable: 'worker',
    filterSubject: `${namespace}.work.batches`,
    ackWaitMs: 30_000,
    maxDeliver: 5,
    maxAckPending: -1,
    ...overrides,
  });

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${namespace}.work.>`] });
  });

  afterAll(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('creates the consumer once when every replica ensures it at the same moment', async () => {
    await Promise.all(Array.from({ length: 4 }, () => ensureDurableConsumer(jsm, spec(), budget)));
    const consumers: string[] = [];
    for await (const info of jsm.consumers.list(stream)) consumers.push(info.name);
    expect(consumers).toEqual(['worker']);
    const { config } = await jsm.consumers.info(stream, 'worker');
    expect(config).toMatchObject({
      durable_name: 'worker',
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${namespace}.work.batches`,
      ack_wait: nanos(30_000),
      max_deliver: 5,
      max_ack_pending: -1,
    });
  });

  it('updates ack wait, max deliver and max ack pending in place: the consumer keeps its position', async () => {
    const js = jetstream(nc);
    await js.publish(`${namespace}.work.batches`, 'one');
    const consumer = await js.consumers.get(stream, 'worker');
    const msg = await consumer.next({ expires: 5_000 });
    await msg!.ackAck();

    await ensureDurableConsumer(jsm, spec({ ackWaitMs: 90_000, maxDeliver: 8, maxAckPending: 1_000 }), budget);
    const info = await jsm.consumers.info(stream, 'worker');
    expect(info.config).toMatchObject({ ack_wait: nanos(90_000), max_deliver: 8, max_ack_pending: 1_000 });
    // Re-created, it would deliver the acknowledged message again.
    expect(info.ack_floor.stream_seq).toBe(1);
    expect(info.num_pending).toBe(0);
  });

  it('refuses to turn an existing consumer to another filter, and leaves it as it is', async () => {
    await expect(ensureDurableConsumer(jsm, spec({ filterSubject: `${namespace}.work.other` }), budget)).rejects.toThrow(
      `Consumer worker on ${stream} filters "${namespace}.work.batches", expected "${namespace}.work.other"; delete it to re-create`,
    );
    await expect(ensureDurableConsumer(jsm, spec({ filterSubject: undefined }), budget)).rejects.toThrow(/expected ""/);
    expect((await jsm.consumers.info(stream, 'worker')).config.filter_subject).toBe(`${namespace}.work.batches`);
  });
});
