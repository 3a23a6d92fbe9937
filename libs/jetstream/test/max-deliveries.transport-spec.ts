import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Events, eventSubject, topology, type DeadLetterEvent, type MaxDeliveriesAdvisory } from '@mailroom/contracts';
import { DeadLetterPublisher, provisionTopology } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

/**
 * A message that crashes its consumer on every delivery is never terminated by a handler: it
 * reaches max deliveries and would stay in its work queue forever. The server's advisory is
 * captured by the advisories stream; handling it moves the message to the dead letters.
 */
describe('max-deliveries advisories (real NATS)', () => {
  const namespace = uniqueNamespace('adv');
  const t = topology(namespace);
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await provisionTopology(js, jsm, t, { replicas: 1, budgetMs: 30_000 });
  });

  afterAll(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('captures the advisory, dead-letters the message with its body, and empties the work queue', async () => {
    await jsm.consumers.add(t.streams.requests, {
      durable_name: 'crashing',
      ack_policy: AckPolicy.Explicit,
      max_deliver: 2,
      ack_wait: 1_000_000_000,
    });
    const body = JSON.stringify({ newsletterId: '00000000-0000-4000-8000-00000000abcd', note: 'crashes its consumer' });
    const ack = await js.publish(eventSubject(t, Events.NewsletterRequested), body);
    const consumer = await js.consumers.get(t.streams.requests, 'crashing');

    // Take it and never ack (a consumer that dies every time), keeping a pull waiting so the
    // server gets to emit the advisory.
    const advisory = await waitFor(
      async () => {
        await consumer.next({ expires: 1_500 });
        const info = await jsm.streams.info(t.streams.advisories);
        if (info.state.messages === 0) return undefined;
        const stored = await jsm.streams.getMessage(t.streams.advisories, { seq: info.state.first_seq });
        return stored?.json<MaxDeliveriesAdvisory>();
      },
      (a) => a !== undefined,
      { timeoutMs: 30_000, intervalMs: 10, description: 'the max-deliveries advisory' },
    );
    expect(advisory).toMatchObject({ stream: t.streams.requests, consumer: 'crashing', stream_seq: ack.seq });

    const moved = await new DeadLetterPublisher(js, jsm, t).fromAdvisory(advisory!);
    expect(moved).toBe(true);
    expect((await jsm.streams.info(t.streams.requests)).state.messages).toBe(0);
    const letter = (await jsm.streams.getMessage(t.streams.deadLetters, { last_by_subj: eventSubject(t, Events.DeadLettered, 'requests') }))!.json<DeadLetterEvent>();
    expect(letter).toMatchObject({
      originalStream: t.streams.requests,
      originalSequence: ack.seq,
      payload: body,
      encoding: 'utf8',
      newsletterId: '00000000-0000-4000-8000-00000000abcd',
    });
    expect(letter.reason).toContain('max deliveries (2) reached');
    // A second advisory for the same message finds nothing left to move.
    expect(await new DeadLetterPublisher(js, jsm, t).fromAdvisory(advisory!)).toBe(false);
  });
});
