import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { topology, type BatchReadyEvent } from '@mailroom/contracts';
import { ParkedBatches, QueuedBatches, provisionTopology, type NewsletterControls } from '@mailroom/jetstream';
import type { JetStreamConnection } from '../src/connection/jetstream-connection';
import { TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(30_000);

describe('ParkedBatches: a batch a sender set aside (real NATS)', () => {
  const namespace = uniqueNamespace('parked');
  const t = topology(namespace);
  let nc: NatsConnection;
  let parked: ParkedBatches;
  let queue: QueuedBatches;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await provisionTopology(js, jsm, t, { replicas: 1, budgetMs: 30_000 });
    // What these repositories use of the process's connection: its topology and JetStream clients.
    const nats = { topology: t, js, jsm, quick: jsm } as unknown as JetStreamConnection;
    parked = new ParkedBatches(nats, {} as NewsletterControls);
    queue = new QueuedBatches(nats);
  });

  afterAll(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('is held again each time it is set aside (never taken for a duplicate), and let into the queue again as it was', async () => {
    const newsletterId = randomUUID();
    const batch: BatchReadyEvent = {
      newsletterId,
      occurredAt: new Date().toISOString(),
      batchIndex: 3,
      contentObject: `newsletters/${newsletterId}/content.json`,
      recipients: [{ email: 'ann@example.org' }, { email: 'bob@example.org' }],
    };
    await parked.holdAgain(batch);
    // Set aside again after a later delivery: a second copy, not dropped by the duplicate window.
    await parked.holdAgain(batch);
    expect((await parked.countsByNewsletter()).get(newsletterId)).toBe(2);

    expect(await parked.release(newsletterId, 5)).toBe(2);
    expect((await parked.countsByNewsletter()).get(newsletterId) ?? 0).toBe(0);
    expect((await queue.countsByNewsletter()).get(newsletterId)).toBe(2);
    // Read back from the batch stream as the senders will get them.
    const subject = `${t.subjectPrefix}batch.ready.${newsletterId}`;
    const first = await jsm.streams.getMessage(t.streams.batches, { last_by_subj: subject });
    expect(first && JSON.parse(new TextDecoder().decode(first.data))).toEqual(batch);
  });
});
