import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { Kvm } from '@nats-io/kv';
import { ContentObjects, Events, eventSubject, topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';

jest.setTimeout(120_000);

/** The retention of this stack's tracker: seconds stand in for the 30 days of a deployment. */
const RETENTION_MS = 3_000;

/**
 * Retention counts from the end of a newsletter, not from its submit (real processes): one
 * scheduled further ahead than the retention is still there at its sendAt, is sent, and is
 * removed (record and content) only the retention after it settled.
 */
describe('newsletter retention (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: false });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: { tracker: { NEWSLETTER_RETENTION_MS: String(RETENTION_MS), RETENTION_SWEEP_MS: '200' } },
    });
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
  });

  const contentExists = async (id: string) => {
    const store = await new Objm(jetstream(nc)).open(topology(stack.namespace).objectStores.content);
    const info = await store.info(ContentObjects.content(id));
    return info !== null && !info.deleted;
  };

  it('keeps a newsletter scheduled beyond the retention until it is sent and settled, then removes it the retention later', async () => {
    const submittedAt = Date.now();
    const sendAt = new Date(submittedAt + 2 * RETENTION_MS).toISOString();
    const recipients = Array.from({ length: 20 }, (_, i) => `kept${i}@example.org`);
    const res = await stack.request<{ id: string; status: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Later', text: 'Hello', recipients, sendAt },
    });
    expect(res.status).toBe(202);
    const id = res.body.id;
    // No bucket-wide expiry on the record or the content: only the cleaner removes them.
    const jsm = await jetstreamManager(nc);
    const t = topology(stack.namespace);
    expect((await jsm.streams.info(`KV_${t.buckets.newsletters}`)).config.max_age).toBe(0);
    expect((await jsm.streams.info(`OBJ_${t.objectStores.content}`)).config.max_age).toBe(0);

    // Longer than the retention after its submit, still before its sendAt: there, and its content too.
    await waitFor(() => Date.now(), (now) => now > submittedAt + RETENTION_MS + 500, { timeoutMs: 10_000, description: 'the retention to pass' });
    const waiting = await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body.status).toBe('scheduled');
    expect(await contentExists(id)).toBe(true);

    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 30_000);
    expect(done.sent).toBe(20);
    expect(recipients.every((r) => smtp.deliveriesTo.get(r) === 1)).toBe(true);
    const settledAt = Date.parse(done.completedAt!);
    expect(settledAt).toBeGreaterThanOrEqual(Date.parse(sendAt));

    // Removed once the retention has passed since it settled, not before.
    const gone = await waitFor(
      async () => ({ status: (await stack.request('GET', `/v1/newsletters/${id}`)).status, at: Date.now() }),
      (r) => r.status === 404,
      { timeoutMs: 20_000, description: 'the settled newsletter to be removed' },
    );
    expect(gone.at - settledAt).toBeGreaterThanOrEqual(RETENTION_MS);
    expect(await contentExists(id)).toBe(false);
    process.stdout.write(`retention: removed ${gone.at - settledAt} ms after it settled (retention ${RETENTION_MS} ms)\n`);
  });

  it('never removes a newsletter that has not settled', async () => {
    const sendAt = new Date(Date.now() + 60_000).toISOString();
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Much later', text: 'Hello', recipients: ['far@example.org'], sendAt },
    });
    const submittedAt = Date.now();
    // Several sweeps and twice the retention later: still there.
    await waitFor(() => Date.now(), (now) => now > submittedAt + 2 * RETENTION_MS, { timeoutMs: 10_000, description: 'twice the retention to pass' });
    const view = await stack.request<NewsletterView>('GET', `/v1/newsletters/${res.body.id}`);
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('scheduled');
    expect(await contentExists(res.body.id)).toBe(true);
    // Cancelled, it settles at once, and goes the retention later, its cancel control with it.
    await stack.request('POST', `/v1/newsletters/${res.body.id}/cancel`);
    const controls = await new Kvm(jetstream(nc)).open(topology(stack.namespace).buckets.controls);
    expect((await controls.get(res.body.id))?.json<{ state: string }>().state).toBe('cancelled');
    await waitFor(() => stack.request('GET', `/v1/newsletters/${res.body.id}`).then((r) => r.status), (s) => s === 404, {
      timeoutMs: 20_000,
      description: 'the cancelled newsletter to be removed',
    });
    expect((await controls.get(res.body.id))?.operation).not.toBe('PUT');
  });

  it('removes a pause control and parked batches whose newsletter has no record, once they are older than the retention', async () => {
    const t = topology(stack.namespace);
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    // As an older version left them: the record expired (30 days from its submit), the pause and the batches did not.
    const orphan = '9d2c4b6a-1e3f-4a5b-8c7d-0e1f2a3b4c5d';
    const controls = await new Kvm(js).open(t.buckets.controls);
    await controls.put(orphan, JSON.stringify({ state: 'paused', generation: 1, at: new Date(Date.now() - RETENTION_MS / 2).toISOString() }));
    const subject = eventSubject(t, Events.BatchParked, orphan);
    await js.publish(subject, JSON.stringify({ newsletterId: orphan, batchIndex: 0, recipients: [] }));
    const writtenAt = Date.now();
    const parkedCount = async () => (await jsm.streams.info(t.streams.parked, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;

    const gone = await waitFor(
      async () => ({ control: (await controls.get(orphan))?.operation, parked: await parkedCount(), at: Date.now() }),
      (s) => s.control !== 'PUT' && s.parked === 0,
      { timeoutMs: 20_000, description: 'the leftovers to be removed' },
    );
    // Not before the newest of them (the batch) was as old as the retention.
    expect(gone.at - writtenAt).toBeGreaterThanOrEqual(RETENTION_MS - 500);
  });
});
