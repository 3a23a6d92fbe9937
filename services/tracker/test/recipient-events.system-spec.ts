import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JetStreamManager } from '@nats-io/jetstream';
import { recipientEventsFilter, topology, type NewsletterView, type RecipientEvent } from '@mailroom/contracts';
import { freePort, MailroomStack, repoRoot, sendRawMail, ServiceProcess, SmtpSink, TEST_API_KEY, TEST_NATS_URL, waitFor } from '@mailroom/testing';
import { simpleParser } from 'mailparser';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { verifyWebhook } from '../src/webhooks/webhook-signature';

jest.setTimeout(240_000);

const SECRET = 'whsec-recipient-0123456789abcdef';
const UNSUBSCRIBE_SECRET = 'recipient-events-e2e-secret-0123456789ab';
const PUBLIC_BASE_URL = 'https://mail.mailroom.test';
const BOUNCE_DOMAIN = 'bounces.test';
const REFUSED = 'refused@example.org';
const HTML = '<html><body><p>Hi</p><a href="https://shop.example.com/sale?id={{ id }}">Sale</a> <a href="{{ unsubscribe_url }}">Unsubscribe</a></body></html>';
/** Small: a stream's max bytes is reserved on the shared test server. */
const MAX_BYTES = String(16 * 1024 * 1024);

interface Post {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answered: number;
}

interface RecipientBatch {
  readonly type: string;
  readonly newsletterId: string;
  readonly events: RecipientEvent[];
}

/** A webhook receiver in the test: records every POST; the first recipient batch of each path is refused (500). */
async function startReceiver(): Promise<{ server: Server; posts: Post[]; url: (path: string) => string }> {
  const posts: Post[] = [];
  const refusedOnce = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      const recipientBatch = body.includes('"recipient.events"');
      const refuse = recipientBatch && !refusedOnce.has(path);
      if (refuse) refusedOnce.add(path);
      const answered = refuse ? 500 : 204;
      posts.push({ path, headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, posts, url: (path) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}` };
}

/** Everything published on `<ns>.recipient.>`, as another system would consume it (its own durable consumer, the one filter subject). */
async function watchRecipientEvents(nc: NatsConnection, namespace: string): Promise<{ events: Array<RecipientEvent & { subject: string }>; stop: () => void }> {
  const t = topology(namespace);
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(t.streams.recipientEvents, {
    durable_name: 'test-watcher',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: recipientEventsFilter(t),
  });
  const consumer = await jetstream(nc).consumers.get(t.streams.recipientEvents, 'test-watcher');
  const messages: ConsumerMessages = await consumer.consume();
  const events: Array<RecipientEvent & { subject: string }> = [];
  void (async () => {
    for await (const m of messages) {
      events.push({ ...m.json<RecipientEvent>(), subject: m.subject });
      m.ack();
    }
  })();
  return { events, stop: () => void messages.stop() };
}

/** A delivery status notification (RFC 3464) for `recipient`, as a receiving server mails it to the bounce address. */
const dsn = (recipient: string) =>
  [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: User unknown`,
    '--b--',
    '',
  ].join('\r\n');

/** SendNewsletter over the gateway's gRPC API, as any client would call it (the public .proto); the error when it fails. */
async function sendOverGrpc(port: number, request: object): Promise<ServiceError | null> {
  const definition = loadSync('mailroom/v1/newsletters.proto', { includeDirs: [join(repoRoot(), 'libs', 'contracts', 'proto')], enums: String });
  const { Newsletters } = (loadPackageDefinition(definition) as unknown as { mailroom: { v1: { Newsletters: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } } }).mailroom.v1;
  const client = new Newsletters(`127.0.0.1:${port}`, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${TEST_API_KEY}`);
  try {
    return await new Promise<ServiceError | null>((resolve) => {
      (client as unknown as Record<string, (r: object, m: Metadata, cb: (error: ServiceError | null) => void) => void>)['sendNewsletter']!(request, metadata, (error) => resolve(error));
    });
  } finally {
    client.close();
  }
}

async function streamMessages(jsm: JetStreamManager, namespace: string): Promise<number> {
  return (await jsm.streams.info(topology(namespace).streams.recipientEvents)).state.messages;
}

/**
 * Per-recipient events end to end with RECIPIENT_EVENTS on: real gateway, splitter, sender,
 * tracker and feedback processes, an SMTP sink that refuses one address, a consumer of
 * `<ns>.recipient.>` and a webhook receiver.
 */
describe('recipient events (real processes, RECIPIENT_EVENTS on)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let feedback: ServiceProcess;
  let feedbackSmtpPort: number;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let nc: NatsConnection;
  let watcher: Awaited<ReturnType<typeof watchRecipientEvents>>;
  const recipients = ['ann@example.org', 'bob@example.org', 'carol@example.org', REFUSED, 'dave@example.org', 'erin@example.org'];

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await SmtpSink.start({ faultAt: (address) => (address === REFUSED ? { kind: 'reply', code: 550, message: '5.1.1 No such user' } : undefined) });
    const common = { RECIPIENT_EVENTS: 'true', RECIPIENT_EVENTS_MAX_BYTES: MAX_BYTES, UNSUBSCRIBE_SECRET };
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      env: common,
      serviceEnv: {
        gateway: { WEBHOOK_ALLOW_PRIVATE: 'true' },
        tracker: { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' },
        sender: { PUBLIC_BASE_URL, BOUNCE_DOMAIN },
      },
    });
    feedbackSmtpPort = await freePort();
    feedback = await ServiceProcess.start('feedback', {
      env: { ...common, NATS_URL: TEST_NATS_URL, MAILROOM_NAMESPACE: stack.namespace, BOUNCE_DOMAIN, FEEDBACK_SMTP_PORT: String(feedbackSmtpPort) },
    });
    nc = await connect({ servers: TEST_NATS_URL });
    watcher = await watchRecipientEvents(nc, stack.namespace);
  });

  afterAll(async () => {
    watcher?.stop();
    await nc?.close();
    await feedback?.stop();
    await stack?.stop();
    await smtp?.close();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  const send = async (subject: string, to: readonly string[], extra: Record<string, unknown>) => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject, html: HTML, batchSize: 3, recipients: to.map((email, i) => ({ email, vars: { id: String(i) } })), tracking: { clicks: true }, ...extra },
    });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed' || v.status === 'completed_with_failures');
    return res.body.id;
  };
  const eventsOf = (id: string, kind?: string) => watcher.events.filter((e) => e.newsletterId === id && (kind === undefined || e.kind === kind));
  const mailTo = async (id: string, email: string) => {
    const message = smtp.messages.find((m) => m.to.includes(email) && new RegExp(`^x-mailroom-newsletter-id:\\s*${id}`, 'im').test(m.raw.toString('utf8')));
    if (!message) throw new Error(`nothing received for ${email}`);
    return { envelopeFrom: message.from, parsed: await simpleParser(message.raw) };
  };
  const viaGateway = (link: string) => `${stack.gateway.baseUrl}${new URL(link).pathname}`;

  let hooked: string;

  it('publishes one delivered per accepted recipient and one failed for the refused one, on <ns>.recipient.<kind>.<newsletter id>', async () => {
    hooked = await send('Hooked', recipients, { webhookUrl: receiver.url('/hooked'), recipientWebhooks: true });
    const outcomes = await waitFor(() => [...eventsOf(hooked, 'delivered'), ...eventsOf(hooked, 'failed')], (list) => list.length >= recipients.length, {
      timeoutMs: 30_000,
      description: 'delivered and failed events',
    });
    const delivered = eventsOf(hooked, 'delivered');
    expect(delivered.map((e) => e.email).sort()).toEqual(recipients.filter((r) => r !== REFUSED).sort());
    expect(eventsOf(hooked, 'failed').map((e) => e.email)).toEqual([REFUSED]);
    // Each once: as many distinct ids as events.
    expect(new Set(outcomes.map((e) => e.id)).size).toBe(outcomes.length);
    expect(delivered[0]).toMatchObject({
      subject: `${stack.namespace}.recipient.delivered.${hooked}`,
      newsletterId: hooked,
      tenant: 'test',
      smtpCode: 250,
      smtpResponse: expect.stringMatching(/^250/),
      batchIndex: expect.any(Number),
    });
    expect(eventsOf(hooked, 'failed')[0]).toMatchObject({ subject: `${stack.namespace}.recipient.failed.${hooked}`, smtpCode: 550, permanent: true, smtpResponse: expect.stringContaining('No such user') });
  });

  it('publishes recipient.clicked with the original URL when a tracked link is followed', async () => {
    const { parsed } = await mailTo(hooked, 'ann@example.org');
    const link = [...String(parsed.html).matchAll(/href="([^"]+)"/g)].map((m) => m[1]!).find((h) => h.startsWith(`${PUBLIC_BASE_URL}/c/`))!;
    const res = await fetch(viaGateway(link), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const [clicked] = await waitFor(() => eventsOf(hooked, 'clicked'), (list) => list.length === 1, { timeoutMs: 15_000, description: 'recipient.clicked' });
    expect(clicked).toMatchObject({ email: 'ann@example.org', url: 'https://shop.example.com/sale?id=0', subject: `${stack.namespace}.recipient.clicked.${hooked}` });
  });

  it('publishes recipient.unsubscribed once for a one-click unsubscribe, not again for a second click', async () => {
    const { parsed } = await mailTo(hooked, 'bob@example.org');
    const line = parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const link = /<(https:[^>]+)>/.exec(line)![1]!;
    const oneClick = () => fetch(viaGateway(link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect((await oneClick()).status).toBe(200);
    const [unsubscribed] = await waitFor(() => eventsOf(hooked, 'unsubscribed'), (list) => list.length === 1, { timeoutMs: 15_000, description: 'recipient.unsubscribed' });
    expect(unsubscribed).toMatchObject({ email: 'bob@example.org', tenant: 'test' });
    expect((await oneClick()).status).toBe(200);
    // The second click is handled (200) before we look: nothing more was published for it.
    const before = await streamMessages(await jetstreamManager(nc), stack.namespace);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await streamMessages(await jetstreamManager(nc), stack.namespace)).toBe(before);
    expect(eventsOf(hooked, 'unsubscribed')).toHaveLength(1);
  });

  it('publishes recipient.bounced for a bounce the feedback service traced', async () => {
    const { envelopeFrom } = await mailTo(hooked, 'carol@example.org');
    const result = await sendRawMail({ port: feedbackSmtpPort, from: '', to: [envelopeFrom], message: dsn('carol@example.org') });
    expect(result.data?.code).toBe(250);
    const [bounced] = await waitFor(() => eventsOf(hooked, 'bounced'), (list) => list.length === 1, { timeoutMs: 15_000, description: 'recipient.bounced' });
    expect(bounced).toMatchObject({ email: 'carol@example.org', bounceType: 'hard', status: '5.1.1' });
  });

  it('posts the newsletter\'s recipient events in signed batches to its webhook, retrying a refused batch', async () => {
    const published = eventsOf(hooked);
    const batches = await waitFor(
      () => receiver.posts.filter((p) => p.path === '/hooked' && p.body.includes('"recipient.events"')),
      (posts) => {
        const ids = new Set(posts.filter((p) => p.answered === 204).flatMap((p) => (JSON.parse(p.body) as RecipientBatch).events.map((e) => e.id)));
        return published.every((e) => ids.has(e.id));
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'every recipient event posted and answered 2xx' },
    );
    expect(batches[0]!.answered).toBe(500);
    for (const post of batches) {
      const body = JSON.parse(post.body) as RecipientBatch;
      expect(body).toMatchObject({ type: 'recipient.events', newsletterId: hooked });
      expect(body.events.length).toBeGreaterThan(0);
      expect(body.events.length).toBeLessThanOrEqual(100);
      expect(body.events.every((e) => e.newsletterId === hooked)).toBe(true);
      expect(verifyWebhook(SECRET, post.body, post.headers['mailroom-signature'] as string)).toBe(true);
    }
    // Batched: a sender's batch of three outcomes arrives together, not one POST per event.
    expect(Math.max(...batches.map((p) => (JSON.parse(p.body) as RecipientBatch).events.length))).toBeGreaterThanOrEqual(3);
    const posted = batches.filter((p) => p.answered === 204).flatMap((p) => (JSON.parse(p.body) as RecipientBatch).events);
    expect(posted.find((e) => e.kind === 'clicked')).toMatchObject({ url: 'https://shop.example.com/sale?id=0' });
    // A body changed in transit no longer matches its signature.
    const tampered = batches[1]!.body.replace('"recipient.events"', '"recipient.eventz"');
    expect(tampered).not.toBe(batches[1]!.body);
    expect(verifyWebhook(SECRET, tampered, batches[1]!.headers['mailroom-signature'] as string)).toBe(false);
  });

  it('posts nothing per recipient for a newsletter sent without recipientWebhooks (its completion webhook still comes)', async () => {
    // New addresses: the first newsletter's refused, unsubscribed and bounced ones are suppressed now.
    const plain = await send('Plain', ['p0@example.org', 'p1@example.org', 'p2@example.org', 'p3@example.org'], { webhookUrl: receiver.url('/plain') });
    await waitFor(() => eventsOf(plain, 'delivered'), (list) => list.length === 4, { timeoutMs: 30_000, description: 'the plain newsletter\'s events' });
    await waitFor(() => receiver.posts.filter((p) => p.path === '/plain' && p.body.includes('"newsletter.completed"')), (l) => l.length > 0, {
      timeoutMs: 30_000,
      description: 'the completion webhook',
    });
    // The tracker's recipient-webhook consumer has taken and acknowledged everything in the stream.
    const jsm = await jetstreamManager(nc);
    const t = topology(stack.namespace);
    const lastSeq = (await jsm.streams.info(t.streams.recipientEvents)).state.last_seq;
    await waitFor(
      async () => jsm.consumers.info(t.streams.recipientEvents, t.consumers.recipientWebhooks),
      (info) => info.ack_floor.stream_seq >= lastSeq && info.num_ack_pending === 0,
      { timeoutMs: 30_000, description: 'the recipient-webhook consumer acknowledged everything' },
    );
    expect(receiver.posts.filter((p) => p.path === '/plain' && p.body.includes('"recipient.events"'))).toEqual([]);
  });

  it('refuses recipientWebhooks without a webhookUrl, naming the field', async () => {
    const res = await stack.request<{ field: string }>('POST', '/v1/newsletters', {
      body: { subject: 'No URL', text: 'Hi', recipients: ['x@example.org'], recipientWebhooks: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('recipientWebhooks');
  });
});

/** The same deployment with the switch off (the default): the stream exists and stays empty. */
describe('recipient events (real processes, RECIPIENT_EVENTS off)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let nc: NatsConnection;
  let grpcPort: number;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ faultAt: (address) => (address === REFUSED ? { kind: 'reply', code: 550 } : undefined) });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      env: { RECIPIENT_EVENTS_MAX_BYTES: MAX_BYTES, UNSUBSCRIBE_SECRET },
      serviceEnv: { gateway: { WEBHOOK_ALLOW_PRIVATE: 'true' }, tracker: { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' }, sender: { PUBLIC_BASE_URL } },
    });
    grpcPort = stack.gateway.grpcPort!;
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
    await smtp?.close();
  });

  it('publishes nothing: not for deliveries, failures, clicks or unsubscribes', async () => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Off', html: HTML, recipients: ['ann@example.org', REFUSED].map((email) => ({ email, vars: { id: '1' } })), tracking: { clicks: true } },
    });
    expect(res.status).toBe(202);
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed_with_failures');
    const message = smtp.messages.find((m) => m.to.includes('ann@example.org'))!;
    const parsed = await simpleParser(message.raw);
    const viaGateway = (link: string) => `${stack.gateway.baseUrl}${new URL(link).pathname}`;
    const click = [...String(parsed.html).matchAll(/href="([^"]+)"/g)].map((m) => m[1]!).find((h) => h.startsWith(`${PUBLIC_BASE_URL}/c/`))!;
    expect((await fetch(viaGateway(click), { redirect: 'manual' })).status).toBe(302);
    const unsubscribe = /<(https:[^>]+)>/.exec(parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line)![1]!;
    const oneClick = await fetch(viaGateway(unsubscribe), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    // The click is counted (its engagement.recorded went through), so its recipient event would have been published by now.
    await stack.waitForNewsletter<NewsletterView & { clicksTotal: number }>(res.body.id, (v) => v.clicksTotal === 1, 30_000);
    expect(await streamMessages(await jetstreamManager(nc), stack.namespace)).toBe(0);
  });

  it('refuses recipientWebhooks, naming the field: this deployment has no recipient events to post', async () => {
    const res = await stack.request<{ field: string; message: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Off', text: 'Hi', recipients: ['x@example.org'], webhookUrl: 'http://127.0.0.1:9/hook', recipientWebhooks: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('recipientWebhooks');
    expect(res.body.message).toContain('RECIPIENT_EVENTS');
    // gRPC: the same rule, INVALID_ARGUMENT with the field in the `field` trailer.
    const refused = await sendOverGrpc(grpcPort, { subject: 'Off', text: 'Hi', recipients: [{ email: 'x@example.org' }], webhookUrl: 'http://127.0.0.1:9/hook', recipientWebhooks: true });
    expect(refused?.code).toBe(3);
    expect(refused?.metadata.get('field')).toEqual(['recipientWebhooks']);
    expect(await sendOverGrpc(grpcPort, { subject: 'Off', text: 'Hi', recipients: [{ email: 'x@example.org' }], webhookUrl: 'http://127.0.0.1:9/hook' })).toBeNull();
  });
});
