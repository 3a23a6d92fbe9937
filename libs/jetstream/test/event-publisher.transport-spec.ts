import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Events, topology, type NewsletterRequestedEvent } from '@mailroom/contracts';
import { EventPublisher, JetStreamModule } from '@mailroom/jetstream';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace, withJetStream } from '@mailroom/testing';

jest.setTimeout(60_000);

/**
 * A publish is retried through leader elections and a process may crash after publishing and
 * publish again on restart: the msgID makes the stream store the fact once, whichever process
 * repeats it, as long as the repeat comes within the stream's duplicate window (2 minutes).
 */
describe('EventPublisher (real NATS)', () => {
  const namespace = uniqueNamespace('pub');
  const t = topology(namespace);
  const processes: INestApplicationContext[] = [];

  const openProcess = async (service: string) => {
    const context = await NestFactory.createApplicationContext(
      JetStreamModule.forRoot({ service, config: { natsUrl: TEST_NATS_URL, namespace, streamReplicas: 1, bootTimeoutMs: 30_000 } }),
      { logger: false },
    );
    processes.push(context);
    return context;
  };

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.close()));
    await deleteNamespace(namespace);
  });

  it('stores an event once however often, and by whichever process, it is published with the same msgID', async () => {
    const first = await openProcess('publisher-1');
    const restarted = await openProcess('publisher-2');
    const event: NewsletterRequestedEvent = {
      newsletterId: '6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f',
      occurredAt: new Date().toISOString(),
      contentObject: 'content/6f1c',
      recipientsObject: 'recipients/6f1c',
      submittedRecipients: 3,
      batchSize: 100,
    };
    const msgId = `requested:${event.newsletterId}`;

    const stored = await first.get(EventPublisher).publish(Events.NewsletterRequested, event, { msgId });
    const repeated = await first.get(EventPublisher).publish(Events.NewsletterRequested, event, { msgId });
    const afterRestart = await restarted.get(EventPublisher).publish(Events.NewsletterRequested, event, { msgId });
    expect(stored.duplicate).toBe(false);
    expect([repeated, afterRestart].map((ack) => [ack.duplicate, ack.seq])).toEqual([
      [true, stored.seq],
      [true, stored.seq],
    ]);

    const other = await first.get(EventPublisher).publish(Events.NewsletterRequested, { ...event, batchSize: 50 }, { msgId: `${msgId}:again` });
    expect(other.duplicate).toBe(false);

    const [messages, kept] = await withJetStream(async (_js, jsm) => [
      (await jsm.streams.info(t.streams.requests)).state.messages,
      await jsm.streams.getMessage(t.streams.requests, { seq: stored.seq }),
    ] as const);
    expect(messages).toBe(2);
    expect(kept!.json<NewsletterRequestedEvent>()).toEqual(event);
  });
});
