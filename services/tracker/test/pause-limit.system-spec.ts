import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Events, eventSubject, topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';

jest.setTimeout(180_000);

/** The stack's pause limit: seconds stand in for the 21 days of a deployment. */
const PAUSE_LIMIT_MS = 4_000;

interface Completion {
  readonly type: string;
  readonly data: { newsletterId: string; status: string; sent: number; failed: number; cancelReason?: string };
}

/**
 * A pause is bounded (real processes, a slow SMTP server, a real webhook receiver): a newsletter
 * paused longer than PAUSE_LIMIT_MS, all its pauses added up, is cancelled by the leading tracker,
 * settles as `cancelled` with its final counts and `cancelReason: pause_limit` (the view and the
 * `newsletter.completed` webhook), and nothing more of it is sent.
 */
describe('pause limit (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let receiver: Server;
  const completions: Completion[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const event = JSON.parse(body) as Completion;
        if (event.type === 'newsletter.completed') completions.push(event);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // 10 ms per message over 2 connections: 1,500 recipients take several seconds, time to pause.
    smtp = await SmtpSink.start({ keepMessages: false, latencyMs: 10 });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: {
        gateway: { WEBHOOK_ALLOW_PRIVATE: 'true' },
        sender: { SMTP_MAX_CONNECTIONS: '2' },
        tracker: { PAUSE_LIMIT_MS: String(PAUSE_LIMIT_MS), WEBHOOK_SECRET: 'whsec-pause-limit-0123456789', WEBHOOK_ALLOW_PRIVATE: 'true' },
      },
    });
    nc = await connect({ servers: TEST_NATS_URL });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const webhookUrl = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const send = async (prefix: string, count: number) => {
    const recipients = Array.from({ length: count }, (_, i) => `${prefix}${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: prefix, text: 'Hello', recipients, batchSize: 50, webhookUrl: webhookUrl() },
    });
    expect(res.status).toBe(202);
    return { id: res.body.id, recipients };
  };
  const deliveredTo = (recipients: string[]) => recipients.filter((r) => smtp.deliveriesTo.has(r)).length;
  const view = async (id: string) => (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body;

  /** The newsletter's batches: waiting in the queue, in a sender's hands (all newsletters), parked. */
  const batchState = async (id: string) => {
    const t = topology(stack.namespace);
    const consumer = await jsm.consumers.info(t.streams.batches, t.consumers.sender);
    const queuedFilter = eventSubject(t, Events.BatchReady, id);
    const queued = await jsm.streams.info(t.streams.batches, { subjects_filter: queuedFilter });
    const parkedFilter = eventSubject(t, Events.BatchParked, id);
    const parked = await jsm.streams.info(t.streams.parked, { subjects_filter: parkedFilter });
    return { inHand: consumer.num_ack_pending, queued: queued.state.subjects?.[queuedFilter] ?? 0, parked: parked.state.subjects?.[parkedFilter] ?? 0 };
  };

  /** Pauses, and waits until sending has stopped: nothing in a sender's hands or queued, the rest parked. */
  const pause = async (id: string) => {
    const res = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/pause`);
    expect(res.body.status).toBe('paused');
    const pausedAt = Date.now();
    await waitFor(
      () => batchState(id),
      (s) => s.inHand === 0 && s.queued === 0 && s.parked > 0,
      { timeoutMs: 15_000, description: 'every remaining batch to be parked' },
    );
    return pausedAt;
  };

  /** Settled as cancelled by the pause limit, with the counts as they stand: checked against the SMTP server and the webhook. */
  const expectCancelledByLimit = async (id: string, recipients: string[]) => {
    const settled = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'cancelled', 60_000);
    expect(settled.cancelReason).toBe('pause_limit');
    expect(settled.sent).toBe(deliveredTo(recipients));
    expect(settled.sent + settled.failed + settled.cancelled).toBe(recipients.length);
    expect(settled.cancelled).toBeGreaterThan(0);
    expect(settled.etaSeconds).toBeNull();
    const hook = await waitFor(
      () => completions.find((c) => c.data.newsletterId === id),
      (c) => c !== undefined,
      { timeoutMs: 30_000, description: 'the newsletter.completed webhook' },
    );
    expect(hook!.data).toMatchObject({ status: 'cancelled', cancelReason: 'pause_limit', sent: settled.sent, failed: settled.failed });

    // Nothing of it is left to send: no batch queued, parked or in a sender's hands (a copy of a
    // batch already counted, from a put-back that raced the dispatcher, may still be on its way
    // to a sender, which drops it unsent)...
    await waitFor(
      () => batchState(id),
      (s) => s.inHand === 0 && s.queued === 0 && s.parked === 0,
      { timeoutMs: 30_000, description: 'no batch of it left anywhere' },
    );
    // ...nothing more arrived, nobody got it twice, and it cannot be resumed.
    expect(deliveredTo(recipients)).toBe(settled.sent);
    expect(recipients.every((r) => (smtp.deliveriesTo.get(r) ?? 0) <= 1)).toBe(true);
    expect((await stack.request('POST', `/v1/newsletters/${id}/resume`)).status).toBe(409);
    return settled;
  };

  it('cancels a newsletter paused mid-send longer than the limit, with its final counts', async () => {
    const { id, recipients } = await send('limit', 1_500);
    await waitFor(() => deliveredTo(recipients), (n) => n >= 200, { timeoutMs: 30_000, description: '200 delivered' });
    const pausedAt = await pause(id);
    const atPause = deliveredTo(recipients);
    expect(atPause).toBeLessThan(1_500);
    expect((await view(id)).status).toBe('paused');

    const settled = await expectCancelledByLimit(id, recipients);
    // Not before the limit: counted from the pause.
    expect(Date.parse(settled.completedAt!) - pausedAt).toBeGreaterThanOrEqual(PAUSE_LIMIT_MS - 200);
    expect(settled.sent).toBe(atPause);
    process.stdout.write(
      `pause limit: ${atPause} of 1500 sent before the pause, cancelled ${Date.parse(settled.completedAt!) - pausedAt} ms after it (limit ${PAUSE_LIMIT_MS} ms), ${settled.cancelled} counted cancelled\n`,
    );
  });

  it('adds up the pauses: a second pause shorter than the limit ends it when both together pass it', async () => {
    const { id, recipients } = await send('twice', 1_500);
    await waitFor(() => deliveredTo(recipients), (n) => n >= 100, { timeoutMs: 30_000, description: '100 delivered' });
    const firstPauseAt = await pause(id);
    // Most of the limit in the first pause, then resumed: sending goes on.
    await waitFor(() => Date.now(), (now) => now >= firstPauseAt + PAUSE_LIMIT_MS * 0.6, { timeoutMs: 10_000, description: '60 % of the limit' });
    expect((await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/resume`)).status).toBe(202);
    const resumedAt = Date.now();
    const beforeResume = deliveredTo(recipients);
    await waitFor(() => deliveredTo(recipients), (n) => n >= beforeResume + 100, { timeoutMs: 30_000, description: '100 more delivered after the resume' });
    expect((await view(id)).status).toBe('sending');

    const secondPauseAt = await pause(id);
    const settled = await expectCancelledByLimit(id, recipients);
    const settledAt = Date.parse(settled.completedAt!);
    // The second pause alone was shorter than the limit; both together were not.
    expect(settledAt - secondPauseAt).toBeLessThan(PAUSE_LIMIT_MS);
    expect(resumedAt - firstPauseAt + (settledAt - secondPauseAt)).toBeGreaterThanOrEqual(PAUSE_LIMIT_MS - 200);
  });
});
