import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import {
  Events,
  eventSubject,
  topology,
  type BatchReadyEvent,
  type NewsletterRequestedEvent,
  type NewsletterSplitEvent,
  type NewsletterSplitFailedEvent,
  type Topology,
} from '@mailroom/contracts';
import { ServiceProcess, TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

const ndjson = (rows: object[]) => new TextEncoder().encode(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));

/** A newsletter sent to a subscriber list: the splitter reads the list's parts from the list-parts store. */
describe('splitting a newsletter sent to a subscriber list (real splitter process, real NATS)', () => {
  const namespace = uniqueNamespace('lsplit');
  let t: Topology;
  let splitter: ServiceProcess;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    t = topology(namespace);
    splitter = await ServiceProcess.start('splitter', { env: { NATS_URL: TEST_NATS_URL, MAILROOM_NAMESPACE: namespace } });
    nc = await connect({ servers: TEST_NATS_URL });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await splitter?.stop();
    await nc?.close();
    await deleteNamespace(namespace);
  });

  async function request(listParts: string[], batchSize: number): Promise<string> {
    const newsletterId = randomUUID();
    const event: NewsletterRequestedEvent = {
      newsletterId,
      occurredAt: new Date().toISOString(),
      contentObject: `newsletters/${newsletterId}/content.json`,
      listParts,
      listId: randomUUID(),
      submittedRecipients: 5,
      batchSize,
    };
    await jetstream(nc).publish(eventSubject(t, Events.NewsletterRequested), JSON.stringify(event), { msgID: newsletterId });
    return newsletterId;
  }

  async function lastEvent<T>(event: typeof Events.NewsletterSplit | typeof Events.NewsletterSplitFailed, newsletterId: string): Promise<T> {
    const message = await waitFor(
      async () => {
        for (let seq = (await jsm.streams.info(t.streams.events)).state.last_seq; seq > 0; seq -= 1) {
          const m = await jsm.streams.getMessage(t.streams.events, { seq });
          if (m?.subject === eventSubject(t, event) && m.json<{ newsletterId: string }>().newsletterId === newsletterId) return m.json<T>();
        }
        return null;
      },
      (found) => found !== null,
      { timeoutMs: 20_000, description: `${event} for ${newsletterId}` },
    );
    return message!;
  }

  it('reads the parts in order and passes each recipient vars on in the batches', async () => {
    const store = await new Objm(nc).open(t.objectStores.listParts);
    await store.putBlob({ name: 'lists/l/p1.ndjson' }, ndjson([
      { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo' } },
      { email: 'bob@example.org', vars: { city: 'Lyon', plan: 'pro' } },
      { email: 'cy@example.org' },
    ]));
    await store.putBlob({ name: 'lists/l/p2.ndjson' }, ndjson([{ email: 'dee@example.org', name: 'Dee', vars: { city: 'Rome' } }, { email: 'ann@example.org' }]));

    const id = await request(['lists/l/p1.ndjson', 'lists/l/p2.ndjson'], 2);
    const split = await lastEvent<NewsletterSplitEvent>(Events.NewsletterSplit, id);
    expect(split).toMatchObject({ total: 4, batches: 2, duplicates: 1, invalid: 0 });

    const batches: BatchReadyEvent[] = [];
    const info = await jsm.streams.info(t.streams.batches);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const m = await jsm.streams.getMessage(t.streams.batches, { seq });
      const batch = m?.json<BatchReadyEvent>();
      if (batch?.newsletterId === id) batches.push(batch);
    }
    expect(batches.sort((a, b) => a.batchIndex - b.batchIndex).map((b) => b.recipients)).toEqual([
      [
        { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo' } },
        { email: 'bob@example.org', vars: { city: 'Lyon', plan: 'pro' } },
      ],
      [{ email: 'cy@example.org' }, { email: 'dee@example.org', name: 'Dee', vars: { city: 'Rome' } }],
    ]);
  });

  it('fails the newsletter before any batch when a part is missing', async () => {
    const before = (await jsm.streams.info(t.streams.batches)).state.messages;
    const id = await request(['lists/l/p1.ndjson', 'lists/l/gone.ndjson'], 2);
    const failed = await lastEvent<NewsletterSplitFailedEvent>(Events.NewsletterSplitFailed, id);
    expect(failed.reason).toBe('A part of the subscriber list is missing');
    expect((await jsm.streams.info(t.streams.batches)).state.messages).toBe(before);
  });
});
