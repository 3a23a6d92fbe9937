import { MailroomStack, ServiceProcess, SmtpSink, TEST_API_KEY } from '@mailroom/testing';
import { bearer, GrpcTestClient } from './support/grpc-client';

jest.setTimeout(180_000);

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const ALLOWED_FROM = 'news@acme.example,@mail.acme.example';

interface Newsletter {
  id: string;
  status: string;
  total: number;
  sent: number;
  failed: number;
  batches: { total?: number; completed: number };
  completedAt: string;
}

describe('gRPC API (mailroom.v1.Newsletters and grpc.health.v1, real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let client: GrpcTestClient;
  const auth = () => bearer(TEST_API_KEY);

  beforeAll(async () => {
    smtp = await SmtpSink.start({
      keepMessages: false,
      faultAt: (email) => (email.startsWith('gone') ? { kind: 'reply', code: 550, message: 'No such user' } : undefined),
    });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: { gateway: { ALLOWED_FROM, DEFAULT_FROM: 'Acme News <news@acme.example>', WATCH_POLL_INTERVAL_MS: '100' } },
    });
    client = new GrpcTestClient(`127.0.0.1:${stack.gateway.grpcPort}`);
  });

  afterAll(async () => {
    client?.close();
    await stack?.stop();
    await smtp?.close();
  });

  const send = (request: object, metadata = auth()) => client.call<{ id: string; status: string; replayed: boolean }>('SendNewsletter', request, metadata);

  it('sends, gets, and watches a newsletter to completion', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => ({ email: `grpc${i}@example.org`, ...(i === 0 ? { name: 'First Reader' } : {}) }));
    const accepted = await send({ subject: 'Over gRPC', html: '<p>Hello</p>', text: 'Hello', from: 'Acme <news@acme.example>', recipients, batchSize: 10 });
    expect(accepted).toMatchObject({ status: 'NEWSLETTER_STATUS_QUEUED', replayed: false });
    expect(accepted.id).toMatch(/^[0-9a-f-]{36}$/);

    const watched = await client.collect<Newsletter>('newsletters', 'WatchNewsletter', { id: accepted.id }, auth(), { timeoutMs: 60_000 });
    expect(watched.end).toBe('ok');
    const statuses = watched.messages.map((m) => m.status);
    expect(statuses[statuses.length - 1]).toBe('NEWSLETTER_STATUS_COMPLETED');
    // Pushed on change only: never the same state twice in a row.
    for (let i = 1; i < watched.messages.length; i += 1) {
      expect(JSON.stringify(watched.messages[i])).not.toBe(JSON.stringify(watched.messages[i - 1]));
    }
    expect(watched.messages[watched.messages.length - 1]).toMatchObject({ total: 30, sent: 30, failed: 0, batches: { total: 3, completed: 3 } });

    const got = await client.call<Newsletter>('GetNewsletter', { id: accepted.id }, auth());
    expect(got).toMatchObject({ id: accepted.id, status: 'NEWSLETTER_STATUS_COMPLETED', total: 30, sent: 30 });
    expect(got.completedAt).not.toBe('');
    expect(smtp.acceptedTotal).toBeGreaterThanOrEqual(30);
    expect(recipients.every((r) => smtp.deliveriesTo.get(r.email) === 1)).toBe(true);

    // The same answer as the HTTP API.
    const http = await stack.request<{ status: string; sent: number }>('GET', `/v1/newsletters/${accepted.id}`);
    expect(http.body).toMatchObject({ status: 'completed', sent: 30 });

    // Watching a settled newsletter: one message, then the stream ends.
    const again = await client.collect<Newsletter>('newsletters', 'WatchNewsletter', { id: accepted.id }, auth(), { timeoutMs: 10_000 });
    expect(again).toMatchObject({ end: 'ok', messages: [{ status: 'NEWSLETTER_STATUS_COMPLETED' }] });
  });

  it('lists failures, and refuses a retry when there is nothing to retry (FAILED_PRECONDITION)', async () => {
    const { id } = await send({ subject: 'Some fail', text: 'x', recipients: [{ email: 'ok1@example.org' }, { email: 'gone1@example.org' }, { email: 'gone2@example.org' }] });
    const done = await client.collect<Newsletter>('newsletters', 'WatchNewsletter', { id }, auth(), { timeoutMs: 60_000 });
    expect(done.messages[done.messages.length - 1]).toMatchObject({ status: 'NEWSLETTER_STATUS_COMPLETED_WITH_FAILURES', sent: 1, failed: 2 });

    const page = await client.call<{ items: Array<{ email: string; code: number; permanent: boolean }>; next?: number }>('ListFailures', { id, limit: 10 }, auth());
    expect(page.items.map((f) => f.email).sort()).toEqual(['gone1@example.org', 'gone2@example.org']);
    expect(page.items.every((f) => f.code === 550 && f.permanent)).toBe(true);
    expect(page.next).toBeUndefined();

    const first = await client.call<{ items: unknown[]; next?: number }>('ListFailures', { id, limit: 1 }, auth());
    expect(first.items).toHaveLength(1);
    const second = await client.call<{ items: unknown[]; next?: number }>('ListFailures', { id, limit: 1, after: first.next }, auth());
    expect(second.items).toHaveLength(1);
    expect(second.items).not.toEqual(first.items);

    const clean = await send({ subject: 'Clean', text: 'x', recipients: [{ email: 'clean@example.org' }] });
    await client.collect('newsletters', 'WatchNewsletter', { id: clean.id }, auth(), { timeoutMs: 60_000 });
    expect(await client.failure('RetryFailed', { id: clean.id }, auth())).toMatchObject({
      code: 'FAILED_PRECONDITION',
      details: expect.stringContaining('has no failed recipients'),
      trailers: { error: 'conflict' },
    });
  });

  it('is idempotent with an idempotency key in the metadata or the request', async () => {
    const request = { subject: 'Once', text: 'x', recipients: [{ email: 'once-grpc@example.org' }] };
    const first = await send(request, bearer(TEST_API_KEY, { 'idempotency-key': 'grpc-order-1' }));
    const repeat = await send(request, bearer(TEST_API_KEY, { 'idempotency-key': 'grpc-order-1' }));
    expect(repeat).toEqual({ ...first, replayed: true });
    const inRequest = await send({ ...request, idempotencyKey: 'grpc-order-1' });
    expect(inRequest.id).toBe(first.id);

    expect(await client.failure('SendNewsletter', { ...request, subject: 'Other', idempotencyKey: 'grpc-order-1' }, auth())).toMatchObject({
      code: 'ALREADY_EXISTS',
      trailers: { error: 'conflict', field: 'Idempotency-Key' },
    });
  });

  it.each([
    ['CR/LF in the subject', { subject: 'Hi\r\nBcc: x@evil.org' }, 'subject'],
    ['no subject', { subject: '' }, 'subject'],
    ['no recipients', { recipients: [] }, 'recipients'],
    ['a display-name trick in a recipient', { recipients: [{ email: 'a@example.org' }, { email: 'Eve <eve@example.org>' }] }, 'recipients[1].email'],
    ['a line break in a recipient name', { recipients: [{ email: 'a@example.org', name: 'A\nBcc: x@evil.org' }] }, 'recipients[0].name'],
    ['a bad from', { from: 'a@acme.example\r\nBcc: x@evil.org' }, 'from'],
    ['a batch size over 1000', { batchSize: 5000 }, 'batchSize'],
    ['a webhook to 127.0.0.1', { webhookUrl: 'http://127.0.0.1:8080/hook' }, 'webhookUrl'],
    ['a webhook to the metadata service', { webhookUrl: 'http://169.254.169.254/latest/meta-data/' }, 'webhookUrl'],
    ['two addresses in reply_to', { replyTo: 'a@example.org, b@example.org' }, 'replyTo'],
    ['a custom header that is not X-', { headers: { Bcc: 'x@evil.org' } }, 'headers'],
    ['a line break in a custom header', { headers: { 'X-Note': 'a\r\nBcc: x@evil.org' } }, 'headers'],
  ])('%s → INVALID_ARGUMENT naming the field', async (_label, change, field) => {
    const failure = await client.failure('SendNewsletter', { subject: 'Hi', text: 'x', recipients: [{ email: 'a@example.org' }], ...change }, auth());
    expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { error: 'validation_failed', field } });
    expect(failure.details).toContain(field);
  });

  it('refuses a from outside ALLOWED_FROM with PERMISSION_DENIED', async () => {
    const failure = await client.failure('SendNewsletter', { subject: 'Hi', text: 'x', from: 'ceo@evil.example', recipients: [{ email: 'a@example.org' }] }, auth());
    expect(failure).toMatchObject({ code: 'PERMISSION_DENIED', trailers: { error: 'forbidden', field: 'from' } });
  });

  it.each([
    ['without a key', bearer(null)],
    ['with a wrong key', bearer('wrong-key-0123456789abcdef')],
    ['with a key in the wrong scheme', bearer(null, { authorization: `Basic ${TEST_API_KEY}` })],
  ])('answers UNAUTHENTICATED %s, for every method', async (_label, metadata) => {
    for (const method of ['SendNewsletter', 'GetNewsletter', 'ListFailures', 'RetryFailed', 'PauseNewsletter']) {
      expect(await client.failure(method, { id: UNKNOWN_ID }, metadata)).toMatchObject({ code: 'UNAUTHENTICATED', trailers: { error: 'unauthorized' } });
    }
    const watch = await client.collect('newsletters', 'WatchNewsletter', { id: UNKNOWN_ID }, metadata, { timeoutMs: 10_000 });
    expect(watch).toMatchObject({ messages: [], end: { code: 'UNAUTHENTICATED' } });
  });

  it('answers NOT_FOUND for an unknown newsletter, INVALID_ARGUMENT for an id that is not one', async () => {
    for (const method of ['GetNewsletter', 'ListFailures', 'RetryFailed']) {
      expect(await client.failure(method, { id: UNKNOWN_ID }, auth())).toMatchObject({ code: 'NOT_FOUND', trailers: { error: 'not_found' } });
      expect(await client.failure(method, { id: '*' }, auth())).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { field: 'id' } });
    }
    const watch = await client.collect('newsletters', 'WatchNewsletter', { id: UNKNOWN_ID }, auth(), { timeoutMs: 10_000 });
    expect(watch).toMatchObject({ messages: [], end: { code: 'NOT_FOUND' } });
  });

  it.each(['PauseNewsletter', 'ResumeNewsletter', 'CancelNewsletter'])('answers NOT_FOUND for %s of an unknown newsletter', async (method) => {
    const failure = await client.failure(method, { id: UNKNOWN_ID }, auth());
    expect(failure).toMatchObject({ code: 'NOT_FOUND', trailers: { error: 'not_found' } });
  });

  it('serves the standard health checking protocol', async () => {
    await expect(client.checkHealth('')).resolves.toEqual({ status: 'SERVING' });
    await expect(client.checkHealth('mailroom.v1.Newsletters')).resolves.toEqual({ status: 'SERVING' });
    await expect(client.checkHealth('no.such.Service')).rejects.toMatchObject({ code: 5 /* NOT_FOUND */ });
    const watched = await client.collect('health', 'Watch', { service: '' }, bearer(null), { timeoutMs: 10_000, stopAfter: 1 });
    expect(watched.messages).toEqual([{ status: 'SERVING' }]);
  });

  it('answers RESOURCE_EXHAUSTED with retry-after once a key is over its rate limit', async () => {
    const limited = await ServiceProcess.start('gateway', {
      env: {
        NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
        MAILROOM_NAMESPACE: stack.namespace,
        API_KEYS: `test:${TEST_API_KEY}`,
        RATE_LIMIT_PER_MINUTE: '6',
        RATE_LIMIT_BURST: '2',
      },
    });
    const limitedClient = new GrpcTestClient(`127.0.0.1:${limited.grpcPort}`);
    try {
      const results = [];
      for (let i = 0; i < 3; i += 1) results.push(await limitedClient.failure('GetNewsletter', { id: UNKNOWN_ID }, auth()));
      expect(results.map((r) => r.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'RESOURCE_EXHAUSTED']);
      expect(results[2]).toMatchObject({ trailers: { error: 'rate_limited', 'retry-after': expect.stringMatching(/^\d+$/) } });
      expect(Number(results[2]!.trailers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      limitedClient.close();
      await limited.stop();
    }
  });

  it('ends open watches with UNAVAILABLE on shutdown, and exits without waiting for them', async () => {
    // Without a splitter the newsletter stays queued, so its watch would stay open for good.
    await stack.splitter.stop();
    const second = await ServiceProcess.start('gateway', {
      label: 'gateway-2',
      env: {
        NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
        MAILROOM_NAMESPACE: stack.namespace,
        API_KEYS: `test:${TEST_API_KEY}`,
        SHUTDOWN_TIMEOUT_MS: '20000',
      },
    });
    const secondClient = new GrpcTestClient(`127.0.0.1:${second.grpcPort}`);
    try {
      const { id } = await secondClient.call<{ id: string }>('SendNewsletter', { subject: 'Never split', text: 'x', recipients: [{ email: 'wait@example.org' }] }, auth());
      let firstMessage: () => void = () => undefined;
      const opened = new Promise<void>((resolve) => (firstMessage = resolve));
      const watching = secondClient.collect<Newsletter>('newsletters', 'WatchNewsletter', { id }, auth(), { timeoutMs: 30_000, onMessage: () => firstMessage() });
      await opened;
      const started = Date.now();
      const exit = await second.stop();
      const watched = await watching;
      expect(exit.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(watched.messages.map((m) => m.status)).toEqual(['NEWSLETTER_STATUS_QUEUED']);
      expect(watched.end).toMatchObject({ code: 'UNAVAILABLE', details: 'The gateway is shutting down; watch again' });
    } finally {
      secondClient.close();
      await second.stop();
    }
  });

  it('answers UNAVAILABLE when the tracker that owns the status is down', async () => {
    await stack.tracker.stop();
    expect(await client.failure('GetNewsletter', { id: UNKNOWN_ID }, auth())).toMatchObject({ code: 'UNAVAILABLE', trailers: { error: 'service_unavailable' } });
  });
});
