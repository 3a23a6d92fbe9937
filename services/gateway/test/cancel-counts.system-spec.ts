import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_API_KEY, waitFor } from '@mailroom/testing';
import { bearer, GrpcTestClient } from './support/grpc-client';

jest.setTimeout(180_000);

/** The cancel deadline of this stack's tracker: short, so the fallback is seen within a test. */
const CANCEL_DEADLINE_MS = 8_000;

interface Hook {
  readonly type: string;
  readonly data: { newsletterId: string; status: string; total: number; sent: number; failed: number; suppressed: number };
}

interface GrpcNewsletter {
  readonly status: string;
  readonly sent?: number;
  readonly failed?: number;
  readonly cancelled?: number;
  readonly total?: number;
}

/**
 * A cancel during a send (real processes, a slow SMTP server, a real webhook receiver): the
 * newsletter is `cancelling` until the batches in flight have reported, then settles once as
 * `cancelled`, and the settled event, the webhook, GET, gRPC and the SSE stream all carry the
 * number of emails that actually went out.
 */
describe('counts after a cancel (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let receiver: Server;
  let client: GrpcTestClient;
  const hooks: Hook[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body) as Hook);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // 10 ms per message over 2 connections: 1,500 recipients take several seconds, time to act.
    smtp = await SmtpSink.start({ keepMessages: false, latencyMs: 10 });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: {
        gateway: { WEBHOOK_ALLOW_PRIVATE: 'true', WATCH_POLL_INTERVAL_MS: '100' },
        tracker: { WEBHOOK_SECRET: 'whsec-test-0123456789abcdef', WEBHOOK_ALLOW_PRIVATE: 'true', CANCEL_DEADLINE_MS: String(CANCEL_DEADLINE_MS) },
        sender: { SMTP_MAX_CONNECTIONS: '2', ACK_WAIT_MS: '5000' },
      },
    });
    client = new GrpcTestClient(`127.0.0.1:${stack.gateway.grpcPort}`);
  });

  afterAll(async () => {
    client?.close();
    await stack?.stop();
    await smtp?.close();
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
  const get = async (id: string) => (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body;
  const completions = (id: string) => hooks.filter((h) => h.type === 'newsletter.completed' && h.data.newsletterId === id);
  const settledHook = (id: string, timeoutMs = 30_000) =>
    waitFor(() => completions(id), (list) => list.length > 0, { timeoutMs, description: 'the newsletter.completed webhook' }).then((list) => list[0]!);

  it('settles after the batches in flight, and every reply carries the emails that went out', async () => {
    const { id, recipients } = await send('cut', 1_500);
    // The SSE stream from the start: it must end with the same settled counts.
    const streamed = fetch(`${stack.gateway.baseUrl}/v1/newsletters/${id}/events`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } }).then((r) =>
      r.text(),
    );
    await waitFor(() => deliveredTo(recipients), (n) => n >= 200, { timeoutMs: 30_000, description: '200 delivered' });
    const cancelledAt = Date.now();
    const cancel = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/cancel`);
    expect(cancel.status).toBe(202);
    // Batches were in a sender's hands and waiting in the queue: not settled yet.
    expect(cancel.body.status).toBe('cancelling');
    // A cancel while cancelling answers the same; pause and resume are refused.
    const again = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/cancel`);
    expect(again.status).toBe(202);
    expect(['cancelling', 'cancelled']).toContain(again.body.status);
    expect((await stack.request('POST', `/v1/newsletters/${id}/pause`)).status).toBe(409);
    expect((await stack.request('POST', `/v1/newsletters/${id}/resume`)).status).toBe(409);

    const hook = await settledHook(id);
    const delivered = deliveredTo(recipients);
    process.stdout.write(`cancel: ${delivered} of 1500 delivered; settled ${Date.now() - cancelledAt} ms after the cancel\n`);
    expect(delivered).toBeGreaterThanOrEqual(200);
    expect(delivered).toBeLessThan(1_500);
    expect(hook.data).toMatchObject({ status: 'cancelled', total: 1_500, sent: delivered, failed: 0 });

    const view = await get(id);
    expect(view).toMatchObject({ status: 'cancelled', sent: delivered, failed: 0, cancelled: 1_500 - delivered, pending: 0 });
    // Settled by accounting for every batch, well before the deadline.
    expect(view.batches.completed).toBe(view.batches.total);
    expect(Date.parse(view.completedAt!) - cancelledAt).toBeLessThan(CANCEL_DEADLINE_MS);

    const grpc = await client.call<GrpcNewsletter>('GetNewsletter', { id }, bearer(TEST_API_KEY));
    expect(grpc).toMatchObject({ status: 'NEWSLETTER_STATUS_CANCELLED', sent: delivered, cancelled: 1_500 - delivered });

    const sse = (await streamed).split('\n\n').filter((block) => block.includes('event: '));
    const last = sse[sse.length - 1]!;
    expect(last).toContain('event: settled');
    expect(JSON.parse(/^data: (.+)$/m.exec(last)![1]!)).toMatchObject({ status: 'cancelled', sent: delivered });

    // Nobody twice, nothing after the settlement, one announcement.
    expect(recipients.every((r) => (smtp.deliveriesTo.get(r) ?? 0) <= 1)).toBe(true);
    expect(deliveredTo(recipients)).toBe(delivered);
    expect(completions(id)).toHaveLength(1);
  });

  it('a paused newsletter that is cancelled settles once its parked batches are dropped', async () => {
    const { id, recipients } = await send('parked', 600);
    await waitFor(() => deliveredTo(recipients), (n) => n >= 100, { timeoutMs: 30_000, description: '100 delivered' });
    expect((await stack.request('POST', `/v1/newsletters/${id}/pause`)).status).toBe(202);
    await waitFor(() => get(id), (v) => v.status === 'paused', { timeoutMs: 10_000, description: 'paused' });
    const cancel = await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/cancel`);
    expect(cancel.body.status).toBe('cancelling');
    const hook = await settledHook(id);
    const delivered = deliveredTo(recipients);
    expect(hook.data).toMatchObject({ status: 'cancelled', sent: delivered });
    expect(await get(id)).toMatchObject({ status: 'cancelled', sent: delivered, cancelled: 600 - delivered });
  });

  it('settles at the deadline when a batch never reports, and a batch reporting later corrects the counts', async () => {
    const { id, recipients } = await send('lost', 600);
    await waitFor(() => deliveredTo(recipients), (n) => n >= 100, { timeoutMs: 30_000, description: '100 delivered' });
    // The only sender dies mid-batch: nobody is left to finish or drop the batches.
    await Promise.all(stack.senders.map((sender) => sender.kill()));
    const cancelledAt = Date.now();
    expect((await stack.request<{ status: string }>('POST', `/v1/newsletters/${id}/cancel`)).body.status).toBe('cancelling');

    const hook = await settledHook(id, CANCEL_DEADLINE_MS + 20_000);
    expect(Date.now() - cancelledAt).toBeGreaterThanOrEqual(CANCEL_DEADLINE_MS);
    const atDeadline = await get(id);
    expect(atDeadline.status).toBe('cancelled');
    expect(atDeadline.batches.completed).toBeLessThan(atDeadline.batches.total!);
    expect(hook.data).toMatchObject({ status: 'cancelled', sent: atDeadline.sent });
    expect(atDeadline.sent + atDeadline.failed + atDeadline.cancelled).toBe(600);

    // A sender again: the batches left behind report (dropped), and the record's counts follow.
    await stack.addSender({ SMTP_MAX_CONNECTIONS: '2', ACK_WAIT_MS: '5000' });
    const after = await waitFor(() => get(id), (v) => v.batches.completed === v.batches.total, { timeoutMs: 60_000, description: 'every batch accounted for' });
    expect(after.status).toBe('cancelled');
    expect(after.sent + after.failed + after.cancelled).toBe(600);
    // A recipient the dead sender handed to SMTP without recording it counts as cancelled, never as sent twice.
    expect(after.sent).toBeLessThanOrEqual(deliveredTo(recipients));
    expect(recipients.every((r) => (smtp.deliveriesTo.get(r) ?? 0) <= 1)).toBe(true);
  });
});
