import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Events, eventSubject, topology, type BatchReadyEvent, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';

jest.setTimeout(180_000);

/** Small enough for a test, and the watchdog looks several times per stall. */
const STALL_MS = 3_000;
const INTERVAL_MS = 500;
/** Far beyond the test: a batch handed out and not acknowledged is not handed out again meanwhile. */
const LONG_ACK_WAIT_MS = 600_000;

interface StoredBatch {
  readonly seq: number;
  readonly batchIndex: number;
}

/**
 * A newsletter whose batch the senders will never get stays `sending` until the tracker's
 * watchdog notices it has not moved and re-drives the batch; the ledger keeps it exactly-once.
 */
describe('watchdog (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      noSenders: true,
      serviceEnv: { tracker: { WATCHDOG_STALL_MS: String(STALL_MS), WATCHDOG_INTERVAL_MS: String(INTERVAL_MS), TRACKER_LEADER_RENEW_MS: '500' } },
    });
    nc = await connect({ servers: TEST_NATS_URL });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
  });

  const t = () => topology(stack.namespace);
  const post = async (prefix: string, count: number) => {
    const recipients = Array.from({ length: count }, (_, i) => `${prefix}${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: prefix, text: `Hello ${prefix}`, recipients, batchSize: 10 },
    });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.batches.total === count / 10);
    return { id: res.body.id, recipients };
  };
  /** The newsletter's batch messages in the batches stream, oldest first. */
  const storedBatches = async (id: string): Promise<StoredBatch[]> => {
    const subject = eventSubject(t(), Events.BatchReady, id);
    const found: StoredBatch[] = [];
    for (let seq = 1; ; ) {
      const stored = await jsm.streams.getMessage(t().streams.batches, { seq, next_by_subj: subject } as unknown as { seq: number });
      if (!stored) return found;
      found.push({ seq: stored.seq, batchIndex: stored.json<BatchReadyEvent>().batchIndex });
      seq = stored.seq + 1;
    }
  };
  const redrives = async (kind: 'stranded' | 'lost') => {
    const text = await (await fetch(`${stack.tracker.baseUrl}/metrics`)).text();
    const line = new RegExp(`^mailroom_watchdog_redrives_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(text);
    return Number(line?.[1] ?? NaN);
  };
  const trackerLog = (message: string, id: string) =>
    stack.tracker.output
      .filter((line) => line.includes(message) && line.includes(id))
      .map((line) => JSON.parse(line) as { batchIndexes?: number[]; kind?: string });

  it('puts back a batch the consumer will not hand out again while the stream still holds it, and removes the stranded original', async () => {
    const { id, recipients } = await post('stranded', 30);
    const [stranded, ...rest] = await storedBatches(id);
    expect(rest).toHaveLength(2);
    // The batch goes to a taker that vanishes without a lease and never answers, under a long ack
    // wait: the stream holds it, the consumer has handed it out and will not again for ten
    // minutes. (The stall seen on a cluster, an ack floor past a message still stored, cannot be
    // made on demand on 2.9.10: a work queue refuses a consumer that starts past a message, an ack
    // or a term removes it, and max deliveries turns it into a dead letter. To the watchdog both
    // look the same: handed out, no lease, untouched for the stall time.)
    await jsm.consumers.add(t().streams.batches, {
      durable_name: t().consumers.sender,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: LONG_ACK_WAIT_MS * 1_000_000,
    });
    const taken = await (await jetstream(nc).consumers.get(t().streams.batches, t().consumers.sender)).next({ expires: 5_000 });
    expect(taken?.seq).toBe(stranded!.seq);
    await stack.addSender({ ACK_WAIT_MS: String(LONG_ACK_WAIT_MS) });

    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status !== 'sending', 60_000);
    expect(done).toMatchObject({ status: 'completed', sent: 30, failed: 0, pending: 0, batches: { total: 3, completed: 3 } });
    expect(recipients.map((r) => smtp.deliveriesTo.get(r))).toEqual(recipients.map(() => 1));
    expect(trackerLog('stranded batches re-driven', id)).toEqual([expect.objectContaining({ batchIndexes: [stranded!.batchIndex], kind: 'stranded' })]);
    expect(await redrives('stranded')).toBeGreaterThanOrEqual(1);
    // The original did not stay behind in the work queue.
    expect(await jsm.streams.getMessage(t().streams.batches, { seq: stranded!.seq })).toBeNull();
    expect(await storedBatches(id)).toEqual([]);
  });

  it('rebuilds a batch lost from the stream: stuck until the watchdog re-drives it, then everyone gets it exactly once', async () => {
    await Promise.all(stack.senders.map((s) => s.stop()));
    const { id, recipients } = await post('lost', 40);
    const lost = (await storedBatches(id)).find((b) => b.batchIndex === 1)!;
    await jsm.streams.deleteMessage(t().streams.batches, lost.seq);
    const before = await redrives('lost');
    await stack.addSender();

    // Three of four batches go out; the fourth is nowhere, and the newsletter does not move.
    const stuck = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.batches.completed === 3);
    expect(stuck).toMatchObject({ status: 'sending', sent: 30, pending: 10 });

    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status !== 'sending', 60_000);
    expect(done).toMatchObject({ status: 'completed', sent: 40, failed: 0, pending: 0, batches: { total: 4, completed: 4 } });
    expect(recipients.map((r) => smtp.deliveriesTo.get(r))).toEqual(recipients.map(() => 1));
    expect(trackerLog('lost batches rebuilt', id)).toEqual([expect.objectContaining({ batchIndexes: [1], kind: 'lost' })]);
    expect(await redrives('lost')).toBe(before + 1);
    // Settled: no longer counted as stalled.
    await waitFor(
      async () => (await (await fetch(`${stack.tracker.baseUrl}/metrics`)).text()).match(/^mailroom_newsletters_stalled (\d+)$/m)?.[1],
      (value) => value === '0',
      { timeoutMs: 10_000, description: 'mailroom_newsletters_stalled back to 0' },
    );
  });
  it('rebuilds a lost batch of a subscriber-list send, leaving out who was suppressed when it was split', async () => {
    await Promise.all(stack.senders.map((s) => s.stop()));
    const members = Array.from({ length: 30 }, (_, i) => `member${i}@example.org`);
    const suppressed = 'unsubscribed@example.org';
    expect((await stack.request('POST', '/v1/suppressions', { body: { email: suppressed, reason: 'unsubscribed' } })).status).toBe(201);
    const list = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'Readers' } });
    const csv = ['email', ...members.slice(0, 15), suppressed, ...members.slice(15)].join('\n');
    const imported = await stack.request('POST', `/v1/lists/${list.body.id}/subscribers`, { rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(imported.status).toBe(200);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'List', text: 'Hello readers', listId: list.body.id, batchSize: 10 },
    });
    const id = res.body.id;
    await stack.waitForNewsletter<NewsletterView>(id, (v) => v.batches.total === 3);
    const lost = (await storedBatches(id)).find((b) => b.batchIndex === 2)!;
    await jsm.streams.deleteMessage(t().streams.batches, lost.seq);
    await stack.addSender();

    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status !== 'sending', 60_000);
    expect(done).toMatchObject({ status: 'completed', total: 31, sent: 30, suppressed: 1, failed: 0, pending: 0 });
    expect(members.map((r) => smtp.deliveriesTo.get(r))).toEqual(members.map(() => 1));
    expect(smtp.deliveriesTo.get(suppressed)).toBeUndefined();
    expect(trackerLog('lost batches rebuilt', id)).toEqual([expect.objectContaining({ batchIndexes: [2], kind: 'lost' })]);
  });
});
