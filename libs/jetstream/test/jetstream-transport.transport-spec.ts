import { Controller, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Events, Queries, eventSubject, topology, type DeadLetterEvent, type NewsletterRequestedEvent } from '@mailroom/contracts';
import {
  JetStreamContext,
  JetStreamModule,
  PermanentError,
  QueryClient,
  RetryableError,
  connectJetStreamTransport,
} from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

interface Call {
  readonly behaviour: string;
  readonly deliveryCount: number;
  readonly at: number;
}
const calls: Call[] = [];

/** The behaviour of each message is chosen by its contentObject field. */
@Controller()
class ProbeHandler {
  @EventPattern(Events.NewsletterRequested)
  handle(@Payload() event: NewsletterRequestedEvent, @Ctx() ctx: JetStreamContext): void {
    calls.push({ behaviour: event.contentObject, deliveryCount: ctx.deliveryCount, at: Date.now() });
    switch (event.contentObject) {
      case 'retry-once':
        if (ctx.deliveryCount === 1) throw new RetryableError('not yet', { delayMs: 400 });
        return;
      case 'permanent':
        throw new PermanentError('never');
      case 'crash':
        throw new TypeError('handler bug');
      default:
        return;
    }
  }

  @MessagePattern(Queries.NewsletterStatus)
  status(@Payload() query: { id: string }): { found: false; echo: string } {
    return { found: false, echo: query.id };
  }
}

describe('JetStream transport (real NATS)', () => {
  const namespace = uniqueNamespace('jst');
  const t = topology(namespace);
  let app: INestApplication;
  let nc: NatsConnection;
  let seq = 0;

  /** A valid event whose handler does `behaviour`. */
  const requestEvent = (behaviour: string, newsletterId: string): NewsletterRequestedEvent => ({
    newsletterId,
    occurredAt: new Date().toISOString(),
    contentObject: behaviour,
    recipientsObject: 'x',
    submittedRecipients: 1,
    batchSize: 1,
  });
  /** Publishes a valid event whose handler does `behaviour`; its newsletter id. */
  const publish = async (behaviour: string) => {
    seq += 1;
    const newsletterId = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
    await jetstream(nc).publish(eventSubject(t, Events.NewsletterRequested), JSON.stringify(requestEvent(behaviour, newsletterId)));
    return newsletterId;
  };
  const callsOf = (behaviour: string) => calls.filter((c) => c.behaviour === behaviour);
  const streamMessages = async () => (await (await jetstreamManager(nc)).streams.info(t.streams.requests)).state.messages;
  /** Everything in the dead-letter stream, oldest first. */
  const deadLetters = async (): Promise<DeadLetterEvent[]> => {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(t.streams.deadLetters);
    const letters: DeadLetterEvent[] = [];
    for (let s = state.first_seq; state.messages > 0 && s <= state.last_seq; s += 1) {
      const stored = await jsm.streams.getMessage(t.streams.deadLetters, { seq: s });
      if (stored) letters.push(stored.json<DeadLetterEvent>());
    }
    return letters;
  };
  const deadLetterOf = (predicate: (letter: DeadLetterEvent) => boolean) =>
    waitFor(async () => (await deadLetters()).filter(predicate), (found) => found.length > 0, { timeoutMs: 10_000, description: 'a dead letter' });

  beforeAll(async () => {
    @Module({
      imports: [JetStreamModule.forRoot({ service: 'transport-test', config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 } })],
      controllers: [ProbeHandler],
    })
    class ProbeModule {}
    app = await NestFactory.create(ProbeModule, { logger: false });
    connectJetStreamTransport(app, {
      consumers: [
        {
          stream: 'requests',
          durable: t.consumers.splitter,
          concurrency: 4,
          ackWaitMs: 5_000,
          retry: { maxDeliver: 3, baseDelayMs: 200, maxDelayMs: 400 },
        },
      ],
      shutdownTimeoutMs: 5_000,
      bootBudgetMs: 30_000,
    });
    await app.startAllMicroservices();
    await app.init();
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('acks after the handler returns: the work queue empties and nothing comes back', async () => {
    await publish('ok');
    await waitFor(streamMessages, (n) => n === 0 && callsOf('ok').length === 1, { timeoutMs: 10_000, description: 'ack' });
    expect(callsOf('ok')).toHaveLength(1);
  });

  it('naks a RetryableError with its delay, then acks the redelivery', async () => {
    await publish('retry-once');
    await waitFor(() => callsOf('retry-once'), (c) => c.length === 2, { timeoutMs: 10_000, description: 'redelivery' });
    const [first, second] = callsOf('retry-once');
    expect(second!.deliveryCount).toBe(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(400);
    await waitFor(streamMessages, (n) => n === 0, { timeoutMs: 10_000, description: 'ack after retry' });
  });

  it('terms a PermanentError: delivered once, removed from the queue, dead-lettered with the reason and the body', async () => {
    const id = await publish('permanent');
    await publish('ok');
    await waitFor(streamMessages, (n) => n === 0, { timeoutMs: 10_000, description: 'queue to empty' });
    expect(callsOf('permanent')).toHaveLength(1);
    const info = await (await jetstreamManager(nc)).consumers.info(t.streams.requests, t.consumers.splitter);
    expect(info.num_ack_pending).toBe(0);
    const letters = await deadLetterOf((l) => l.newsletterId === id);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      originalStream: t.streams.requests,
      originalSubject: eventSubject(t, Events.NewsletterRequested),
      deliveries: 1,
      reason: 'PermanentError: never',
      encoding: 'utf8',
    });
    expect(JSON.parse(letters[0]!.payload)).toMatchObject({ newsletterId: id, contentObject: 'permanent' });
  });

  it('retries an unexpected error with backoff, then terms and dead-letters it at max deliveries', async () => {
    const id = await publish('crash');
    await waitFor(() => callsOf('crash'), (c) => c.length === 3, { timeoutMs: 10_000, description: '3 deliveries' });
    await waitFor(streamMessages, (n) => n === 0, { timeoutMs: 10_000, description: 'queue to empty' });
    expect(callsOf('crash').map((c) => c.deliveryCount)).toEqual([1, 2, 3]);
    const [letter] = await deadLetterOf((l) => l.newsletterId === id);
    expect(letter).toMatchObject({ deliveries: 3, reason: 'max deliveries (3) reached: handler bug' });
  });

  it('terms and dead-letters a payload that breaks the contract without calling the handler, naming what is wrong', async () => {
    const before = calls.length;
    const wrongId = JSON.stringify(requestEvent('ok', 'not-a-uuid'));
    nc.publish(eventSubject(t, Events.NewsletterRequested), '{"newsletterId":"not-a-uuid"}');
    nc.publish(eventSubject(t, Events.NewsletterRequested), 'not json at all');
    nc.publish(eventSubject(t, Events.NewsletterRequested), wrongId);
    await nc.flush();
    await waitFor(async () => (await (await jetstreamManager(nc)).consumers.info(t.streams.requests, t.consumers.splitter)).delivered.stream_seq,
      (s) => s >= seq + 3, { timeoutMs: 10_000, description: 'all three delivered' });
    await waitFor(streamMessages, (n) => n === 0, { timeoutMs: 10_000, description: 'queue to empty' });
    expect(calls.length).toBe(before);
    const [incomplete] = await deadLetterOf((l) => l.payload === '{"newsletterId":"not-a-uuid"}');
    expect(incomplete!.reason).toMatch(/^InvalidPayloadError: newsletter\.requested: contentObject: contentObject must be a string; /);
    const [badId] = await deadLetterOf((l) => l.payload === wrongId);
    expect(badId!.reason).toMatch(/^InvalidPayloadError: newsletter\.requested: newsletterId: /);
    const [notJson] = await deadLetterOf((l) => l.payload === 'not json at all');
    expect(notJson!.reason).toBe('InvalidPayloadError: newsletter.requested: body is not JSON');
  });

  it('answers queries over request/reply', async () => {
    const client = new QueryClient(nc, t);
    await expect(client.ask(Queries.NewsletterStatus, { id: 'abc' })).resolves.toEqual({ found: false, echo: 'abc' });
  });
});
