import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JsMsg } from '@nats-io/jetstream';
import { settleConfirmed } from '../src/transport/confirmed-settlement';
import { NatsCluster, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(120_000);

const ACK_WAIT_MS = 40_000;

/**
 * An ack or a nak sent while the consumer's leader is dead is dropped by NATS (nobody listens on
 * the ack subject until a new leader is elected): the message would then wait out its whole ack
 * wait. settleConfirmed repeats it until the new leader confirms. On a three-server cluster (the
 * nats-server on the PATH): two messages are taken, their consumer's leader is killed, one is
 * acked and one nak'ed right away; both must take effect within seconds of the election, not
 * after the 40 s ack wait, while a third, acked the plain way at the same moment, is still there.
 */
describe('settleConfirmed through a consumer leader election', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await NatsCluster.start();
    nc = await connect({ servers: cluster.urls.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.destroy();
  });

  it('an ack and a nak sent while the consumer has no leader take effect once a new one is elected', async () => {
    const name = uniqueNamespace('settle');
    const jsm = await jetstreamManager(nc, { timeout: 5_000 });
    const js = jetstream(nc, { timeout: 5_000 });
    await jsm.streams.add({ name, subjects: [`${name}.>`], num_replicas: 3, storage: StorageType.File, retention: RetentionPolicy.Workqueue });
    for (const id of ['acked', 'naked', 'plain']) await js.publish(`${name}.${id}`, id);
    await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit, ack_wait: ACK_WAIT_MS * 1_000_000, num_replicas: 3 });
    const consumer = await js.consumers.get(name, 'worker');
    const taken = new Map<string, JsMsg>();
    for await (const m of await consumer.fetch({ max_messages: 3, expires: 5_000 })) taken.set(m.string(), m);
    expect([...taken.keys()].sort()).toEqual(['acked', 'naked', 'plain']);

    const leader = await cluster.consumerLeader(name, 'worker');
    await cluster.kill(leader);
    const killedAt = Date.now();
    const deadline = killedAt + ACK_WAIT_MS / 2;
    const stopping = () => false;
    const acked = settleConfirmed(nc, taken.get('acked')!, { kind: 'ack' }, { deadline, stopping });
    const naked = settleConfirmed(nc, taken.get('naked')!, { kind: 'nak', delayMs: 0 }, { deadline, stopping });
    taken.get('plain')!.ack();

    const [ackResult, nakResult] = await Promise.all([acked, naked]);
    const outcome = (r: typeof ackResult) => (r.confirmed ? 'confirmed' : `not confirmed after ${r.attempts} attempt(s): ${r.error.message}`);
    expect(outcome(ackResult)).toBe('confirmed');
    expect(outcome(nakResult)).toBe('confirmed');
    // The first attempt of each found no leader: what this is about.
    expect(ackResult.attempts).toBeGreaterThan(1);
    expect(nakResult.attempts).toBeGreaterThan(1);
    const confirmedAfterMs = Date.now() - killedAt;
    expect(confirmedAfterMs).toBeLessThan(ACK_WAIT_MS / 2);

    // The acked message left the work queue; the plain ack was lost, so that one is still there.
    const subjects = await waitFor(
      async () => (await jsm.streams.info(name, { subjects_filter: `${name}.>` })).state.subjects ?? {},
      (s) => s[`${name}.acked`] === undefined,
      { timeoutMs: 10_000, intervalMs: 200, description: 'the acked message to leave the stream' },
    );
    expect(subjects[`${name}.plain`]).toBe(1);
    // The nak'ed one comes back now, long before its ack wait would have run out.
    const again = await consumer.next({ expires: 5_000 });
    expect(again?.string()).toBe('naked');
    expect(again?.info.deliveryCount).toBe(2);
    expect(Date.now() - killedAt).toBeLessThan(ACK_WAIT_MS);
    again?.ack();

    cluster.revive(leader);
    await cluster.heal();
    await jsm.streams.delete(name);
  });
});
