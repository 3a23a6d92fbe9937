import { Controller, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Events, eventSubject, topology, type RecipientEvent } from '@mailroom/contracts';
import { HandlesEvent, JetStreamModule, connectJetStreamTransport, type MessageGate } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

const WANTED = '00000000-0000-4000-8000-00000000000a';
const UNWANTED = '00000000-0000-4000-8000-00000000000b';
const handled: RecipientEvent[] = [];
const asked: string[] = [];

@Injectable()
class ProbeGate implements MessageGate {
  wants(subject: string): boolean {
    asked.push(subject);
    return subject.endsWith(WANTED);
  }
}

@Controller()
class ProbeHandler {
  @HandlesEvent(Events.RecipientDelivered)
  onDelivered(@Payload() event: RecipientEvent): void {
    handled.push(event);
  }
}

/** A consumer with a gate (ConsumerBinding.gate) and plain acks (confirmAcks: false), against a real NATS. */
describe('JetStream transport: gated consumer with plain acks (real NATS)', () => {
  const namespace = uniqueNamespace('gate');
  const t = topology(namespace);
  let app: INestApplication;
  let nc: NatsConnection;

  beforeAll(async () => {
    @Module({
      imports: [JetStreamModule.forRoot({ service: 'gate-test', config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 } })],
      controllers: [ProbeHandler],
      providers: [ProbeGate],
    })
    class ProbeModule {}
    app = await NestFactory.create(ProbeModule, { logger: false });
    connectJetStreamTransport(app, {
      consumers: [
        {
          stream: 'recipientEvents',
          durable: t.consumers.recipientWebhooks,
          concurrency: 4,
          ackWaitMs: 1_000,
          retry: { maxDeliver: 3, baseDelayMs: 200, maxDelayMs: 400 },
          gate: ProbeGate,
          confirmAcks: false,
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

  const event = (newsletterId: string): RecipientEvent => ({
    id: `delivered:${newsletterId}:first:x`,
    kind: 'delivered',
    newsletterId,
    occurredAt: new Date().toISOString(),
    email: 'ann@example.org',
  });

  it('acknowledges what the gate does not want without reading it (an invalid payload is not dead-lettered), hands the rest to the handler once', async () => {
    const js = jetstream(nc);
    await js.publish(eventSubject(t, Events.RecipientDelivered, UNWANTED), '{"not":"a recipient event"}');
    await js.publish(eventSubject(t, Events.RecipientDelivered, WANTED), JSON.stringify(event(WANTED)));
    const jsm = await jetstreamManager(nc);
    await waitFor(
      () => jsm.consumers.info(t.streams.recipientEvents, t.consumers.recipientWebhooks),
      (info) => info.ack_floor.stream_seq === 2 && info.num_ack_pending === 0,
      { timeoutMs: 10_000, description: 'both messages acknowledged' },
    );
    expect(asked).toEqual([eventSubject(t, Events.RecipientDelivered, UNWANTED), eventSubject(t, Events.RecipientDelivered, WANTED)]);
    expect(handled.map((e) => e.newsletterId)).toEqual([WANTED]);
    expect((await jsm.streams.info(t.streams.deadLetters)).state.messages).toBe(0);
    // Plain acks hold: nothing comes back after the ack wait (1 s).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(handled).toHaveLength(1);
    expect(asked).toHaveLength(2);
  });
});
