import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { ensureStream } from '../src/provisioning/ensure-stream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(60_000);

/** What every service runs at boot for each stream it owns. */
describe('ensureStream (real NATS)', () => {
  const namespace = uniqueNamespace('ens');
  const budget = { budgetMs: 5_000 };
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

  it('names the stream that already holds the subjects when the server refuses an overlap', async () => {
    await jsm.streams.add({ name: `${namespace}-first`, subjects: [`${namespace}.shared.>`] });
    const refused = ensureStream(jsm, { name: `${namespace}-second`, subjects: [`${namespace}.shared.events`] }, budget);
    await expect(refused).rejects.toThrow(`${namespace}-first [${namespace}.shared.>] holds ${namespace}.shared.events`);
    await expect(refused).rejects.toThrow(/subjects overlap/);
    // Nothing half-made: the second stream was not created.
    await expect(jsm.streams.info(`${namespace}-second`)).rejects.toThrow();
  });

  it('creates a stream once when every replica ensures it at the same moment', async () => {
    const desired = { name: `${namespace}-third`, subjects: [`${namespace}.third`] };
    const results = await Promise.all(Array.from({ length: 4 }, () => ensureStream(jsm, desired, budget)));
    expect(results).toEqual([[], [], [], []]);
    expect((await jsm.streams.info(desired.name)).config.subjects).toEqual([`${namespace}.third`]);
  });
});
