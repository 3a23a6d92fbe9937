import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';
import { verifyWebhook } from '../src/webhooks/webhook-signature';
import { postJson } from '../src/webhooks/post-json';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

jest.setTimeout(120_000);

const SECRET = 'whsec-test-0123456789abcdef';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answered: number;
}

/** Signed webhooks to a receiver in the test: first attempt refused, retried, signature verified. */
describe('webhooks (real processes, a real HTTP receiver)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let receiver: Server;
  let nc: NatsConnection;
  const received: Received[] = [];
  let failFirstCompletion = true;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const completion = body.includes('"newsletter.completed"');
        const status = completion && failFirstCompletion ? 500 : 204;
        if (completion) failFirstCompletion = false;
        received.push({ headers: req.headers, body, answered: status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    smtp = await SmtpSink.start({ keepMessages: false });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: {
        gateway: { WEBHOOK_ALLOW_PRIVATE: 'true' },
        tracker: { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true', PROGRESS_STEP_PERCENT: '50' },
      },
    });
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    await nc?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('POSTs signed events, retries a failed delivery, and records every attempt', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/mailroom?token=abc`;
    const recipients = Array.from({ length: 40 }, (_, i) => `hook${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Hooked', text: 'Hello', recipients, batchSize: 10, webhookUrl: url },
    });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');

    const completions = await waitFor(
      () => received.filter((r) => r.body.includes('"newsletter.completed"')),
      (list) => list.some((r) => r.answered === 204),
      { timeoutMs: 30_000, description: 'a completion webhook answered 2xx' },
    );
    expect(completions[0]!.answered).toBe(500);
    const delivered = completions.find((r) => r.answered === 204)!;
    const event = JSON.parse(delivered.body) as { id: string; type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({
      type: 'newsletter.completed',
      data: { newsletterId: res.body.id, status: 'completed', total: 40, sent: 40, failed: 0 },
    });
    // The retry is the same event: same id, receivers can de-duplicate.
    expect(completions.map((c) => c.headers['mailroom-event-id'])).toEqual(completions.map(() => event.id));
    const signature = delivered.headers['mailroom-signature'] as string;
    expect(verifyWebhook(SECRET, delivered.body, signature)).toBe(true);
    expect(verifyWebhook(SECRET, delivered.body.replace('"sent":40', '"sent":41'), signature)).toBe(false);
    expect(verifyWebhook('another-secret-0123456789', delivered.body, signature)).toBe(false);

    const progress = received.filter((r) => r.body.includes('"newsletter.progressed"'));
    expect(progress.map((p) => (JSON.parse(p.body) as { data: { percent: number } }).data.percent)).toContain(50);

    const kv = await new Kvm(nc).open(topology(stack.namespace).buckets.webhooks);
    const keys: string[] = [];
    for await (const key of await kv.keys(`${res.body.id}.*`)) keys.push(key);
    const record = (await kv.get(keys.find((k) => k.includes('completed'))!))!.json<{ state: string; target: string; attempts: Array<{ status?: number }> }>();
    expect(record.state).toBe('delivered');
    expect(record.attempts.map((a) => a.status)).toEqual([500, 204]);
    expect(record.target).not.toContain('token=');
  });
});

/** A webhook receiver on this machine that answers a byte every 200 ms and never finishes. */
describe('postJson against a real receiver that trickles its answer', () => {
  let server: Server;
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      timers.push(setInterval(() => res.write('.'), 200));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is cut off at its total deadline although it is never idle', async () => {
    const { port } = server.address() as AddressInfo;
    const lookup = dnsLookup as unknown as LookupFunction;
    await expect(postJson(new URL(`http://127.0.0.1:${port}/hook`), '{}', { headers: {}, timeoutMs: 1_000, lookup })).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'no complete answer within 1000 ms',
    });
  });
});
