import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Events, eventSubject, topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';

jest.setTimeout(180_000);

/** Pause, resume, cancel and schedule, with real processes and a slow SMTP server. */
describe('campaign control (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    // 10 ms per message over 2 connections: 1,500 recipients take several seconds, time to act.
    smtp = await SmtpSink.start({ keepMessages: false, latencyMs: 10 });
    stack = await MailroomStack.start({ smtpUrl: smtp.url, serviceEnv: { sender: { SMTP_MAX_CONNECTIONS: '2' } } });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
  });

  const send = async (prefix: string, count: number, extra: Record<string, unknown> = {}) => {
    const recipients = Array.from({ length: count }, (_, i) => `${prefix}${i}@example.org`);
    const res = await stack.request<{ id: string; status: string }>('POST', '/v1/newsletters', {
      body: { subject: prefix, text: 'Hello', recipients, batchSize: 50, ...extra },
    });
    expect(res.status).toBe(202);
    return { id: res.body.id, recipients, status: res.body.status };
  };
  const deliveredTo = (recipients: string[]) => recipients.filter((r) => smtp.deliveriesTo.has(r)).length;

  it('pause stops sending within seconds, nothing arrives while paused, resume sends everyone exactly once', async () => {
    const { id, recipients } = await send('pause', 1_500);
    await waitFor(() => deliveredTo(recipients), (n) => n >= 200, { timeoutMs: 30_000, description: '200 delivered' });
    const paused = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/pause`);
    expect(paused.status).toBe(202);
    expect(paused.body.status).toBe('paused');

    // Sending has stopped once no batch is in a sender's hands and none waits in the queue:
    // every remaining batch is parked.
    const t = topology(stack.namespace);
    const jsm = await jetstreamManager(nc);
    const parked = await waitFor(
      async () => {
        const consumer = await jsm.consumers.info(t.streams.batches, t.consumers.sender);
        const queued = (await jsm.streams.info(t.streams.batches)).state.messages;
        const filter = eventSubject(t, Events.BatchParked, id);
        const parkedInfo = await jsm.streams.info(t.streams.parked, { subjects_filter: filter });
        return { inHand: consumer.num_ack_pending, queued, parked: parkedInfo.state.subjects?.[filter] ?? 0 };
      },
      (state) => state.inHand === 0 && state.queued === 0 && state.parked > 0,
      { timeoutMs: 15_000, description: 'every remaining batch to be parked' },
    );
    const atPause = deliveredTo(recipients);
    const view = (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body;
    expect(view.status).toBe('paused');
    expect(atPause).toBeLessThan(1_500);
    // The status counts finished batches; a parked batch reports what it sent when it finishes.
    expect(view.sent).toBeLessThanOrEqual(atPause);
    process.stdout.write(`pause: ${atPause} of 1500 delivered when sending stopped, ${parked.parked} batch(es) parked\n`);
    // Nothing arrives while paused: still the same count when we resume.
    expect(deliveredTo(recipients)).toBe(atPause);

    const resumed = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/resume`);
    expect(resumed.status).toBe(202);
    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 120_000);
    expect(done).toMatchObject({ total: 1_500, sent: 1_500, failed: 0, cancelled: 0 });
    expect(recipients.every((r) => smtp.deliveriesTo.get(r) === 1)).toBe(true);
  });

  it('cancel stops for good and counts the rest as cancelled', async () => {
    const { id, recipients } = await send('cancel', 1_500);
    await waitFor(() => deliveredTo(recipients), (n) => n >= 200, { timeoutMs: 30_000, description: '200 delivered' });
    const cancelled = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/cancel`);
    // Batches in flight report first (see cancel-counts.system-spec.ts).
    expect(cancelled.body.status).toBe('cancelling');
    const view = await waitFor(
      async () => (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body,
      // Batches that were in flight report in; after that the counts stay put.
      (v) => v.status === 'cancelled' && v.sent === deliveredTo(recipients),
      { timeoutMs: 30_000, description: 'the counts to settle' },
    );
    expect(view.sent + view.cancelled + view.failed).toBe(1_500);
    expect(view.cancelled).toBeGreaterThan(0);
    expect(recipients.every((r) => (smtp.deliveriesTo.get(r) ?? 0) <= 1)).toBe(true);
    // Cancelling again, or pausing now, changes nothing.
    expect((await stack.request('POST', `/v1/newsletters/${id}/cancel`)).status).toBe(202);
    expect((await stack.request('POST', `/v1/newsletters/${id}/pause`)).status).toBe(409);
    expect((await stack.request('POST', `/v1/newsletters/${id}/resume`)).status).toBe(409);
  });

  it('a scheduled newsletter starts at its time and not before', async () => {
    const sendAt = new Date(Date.now() + 4_000).toISOString();
    const { id, recipients, status } = await send('later', 20, { sendAt });
    expect(status).toBe('scheduled');
    expect((await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body).toMatchObject({ status: 'scheduled', sendAt });
    const done = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 60_000);
    const firstArrival = Math.min(...recipients.map((r) => smtp.firstDeliveryAt(r) ?? Infinity));
    expect(firstArrival).toBeGreaterThanOrEqual(Date.parse(sendAt));
    expect(done.sent).toBe(20);
  });

  it('a scheduled newsletter can be cancelled before it starts, and then never sends', async () => {
    const sendAt = new Date(Date.now() + 3_000).toISOString();
    const { id, recipients } = await send('never', 20, { sendAt });
    const cancelled = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    // Past its time, still cancelled, nothing sent.
    await waitFor(() => Date.now(), (now) => now > Date.parse(sendAt) + 2_000, { timeoutMs: 10_000, description: 'its time to pass' });
    const view = (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body;
    expect(view).toMatchObject({ status: 'cancelled', sent: 0, cancelled: 20 });
    expect(deliveredTo(recipients)).toBe(0);
  });

  it('refuses a sendAt in the past, too far ahead, or without a time zone', async () => {
    const zoneless = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, '');
    for (const sendAt of [new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() + 400 * 86_400_000).toISOString(), 'tomorrow', zoneless]) {
      const res = await stack.request<{ field: string }>('POST', '/v1/newsletters', {
        body: { subject: 'x', text: 'x', recipients: ['a@example.org'], sendAt },
      });
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('sendAt');
    }
  });

  it('sends a test right away, to up to 10 addresses, marked as a test, skipping suppressed addresses (and saying so)', async () => {
    await stack.request('POST', '/v1/suppressions', { body: { email: 'editor@example.org', reason: 'manual' } });
    const res = await stack.request<{ id: string; skipped: unknown[] }>('POST', '/v1/newsletters/test', {
      body: { subject: 'Preview', text: 'Hello', recipients: ['editor@example.org', 'boss@example.org'] },
    });
    expect(res.status).toBe(202);
    expect(res.body.skipped).toEqual([{ email: 'editor@example.org', list: 'tenant' }]);
    const view = await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');
    expect(view).toMatchObject({ test: true, sent: 1, suppressed: 0, total: 1 });
    const tooMany = await stack.request<{ field: string }>('POST', '/v1/newsletters/test', {
      body: { subject: 'Preview', text: 'x', recipients: Array.from({ length: 11 }, (_, i) => `t${i}@example.org`) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.field).toBe('recipients');
  });
});
