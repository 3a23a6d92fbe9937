import { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { addressHash, ContentObjects, newNewsletterRecord, topology, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, repoRoot, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';
import { bearer, GrpcTestClient } from './support/grpc-client';
import { operationsOf, type OpenApiDocument } from './support/openapi-document';

jest.setTimeout(240_000);

/*
 * Tenants, against real processes: what one tenant creates, another cannot see or act on (404 on
 * every route, HTTP and gRPC, exactly as for an id that does not exist); admin-only routes refuse
 * keys without `admin` (403 / PERMISSION_DENIED); suppressions are per tenant plus a global list;
 * records and suppressions stored before tenants read as the default tenant's and the global list.
 */

const A = 'alpha-send-key-0123456789';
const A_READ = 'alpha-read-key-0123456789';
const B = 'beta-send-key-01234567890';
const ADMIN = 'ops-admin-key-0123456789a';
const LEGACY = 'unnamed-legacy-key-0123456';
const API_KEYS = [`alpha/a-send:${A}`, `alpha/a-read@read:${A_READ}`, `beta/b-send:${B}`, `ops@admin+read+send:${ADMIN}`, LEGACY].join(',');
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Page<T> {
  items: T[];
  next: number | null;
}
interface DeadLetterItem {
  id: number;
  newsletterId: string | null;
}

describe('tenants: isolation, scopes and suppression lists (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let grpc: GrpcTestClient;
  let nc: NatsConnection;
  // Alpha's: a failed newsletter (its body removed: both batches dead-lettered), a scheduled one, a list, a suppression.
  let failedId: string;
  let scheduledId: string;
  let listId: string;
  let deadLetter: DeadLetterItem;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      noSenders: true,
      serviceEnv: { gateway: { API_KEYS, TEST_SENDS_PER_MINUTE: '3' } },
    });
    grpc = new GrpcTestClient(`127.0.0.1:${stack.gateway.grpcPort}`);
    nc = await connect({ servers: TEST_NATS_URL });

    const failed = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      apiKey: A,
      body: { subject: 'Alpha', text: 'Hi', recipients: ['a1@example.org', 'a2@example.org'], batchSize: 1 },
    });
    expect(failed.status).toBe(202);
    failedId = failed.body.id;
    await stack.waitForNewsletterAs(A, failedId, (v) => v.batches.total === 2);
    await (await new Objm(nc).open(topology(stack.namespace).objectStores.content)).delete(ContentObjects.content(failedId));
    await stack.addSender();
    await stack.waitForNewsletterAs(A, failedId, (v) => v.status === 'failed');
    deadLetter = await waitFor(
      async () => (await stack.request<Page<DeadLetterItem>>('GET', '/v1/dead-letters?limit=100', { apiKey: ADMIN })).body.items.find((l) => l.newsletterId === failedId),
      (l) => l !== undefined,
      { timeoutMs: 20_000, description: "alpha's dead letter" },
    ).then((l) => l!);

    const scheduled = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      apiKey: A,
      body: { subject: 'Later', text: 'Hi', recipients: ['later@example.org'], sendAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(scheduled.status).toBe(202);
    scheduledId = scheduled.body.id;

    const list = await stack.request<{ id: string }>('POST', '/v1/lists', { apiKey: A, body: { name: 'Alpha readers' } });
    expect(list.status).toBe(201);
    listId = list.body.id;
    const imported = await stack.request('POST', `/v1/lists/${listId}/subscribers`, {
      apiKey: A,
      rawBody: 'email\nreader@example.org\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    expect((await stack.request('POST', '/v1/suppressions', { apiKey: A, body: { email: 'alpha-only@example.org' } })).status).toBe(201);
  });

  afterAll(async () => {
    grpc?.close();
    await nc?.close();
    await stack?.stop();
    await smtp?.close();
  });

  /** Every authenticated HTTP operation: what beta gets on alpha's resources, and what a key of the wrong scope gets. */
  const httpTable = (): Array<{ op: string; path: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; beta: number; readOnly: number }> => [
    { op: 'post /v1/newsletters', path: '/v1/newsletters', body: { subject: 'x', text: 'x', listId }, beta: 404, readOnly: 403 },
    { op: 'post /v1/newsletters/test', path: '/v1/newsletters/test', body: { subject: 'x', text: 'x', recipients: ['t@example.org'] }, beta: 202, readOnly: 403 },
    { op: 'get /v1/newsletters/{id}', path: `/v1/newsletters/${failedId}`, beta: 404, readOnly: 200 },
    { op: 'get /v1/newsletters/{id}/events', path: `/v1/newsletters/${failedId}/events`, beta: 404, readOnly: 200 },
    { op: 'post /v1/newsletters/{id}/pause', path: `/v1/newsletters/${scheduledId}/pause`, beta: 404, readOnly: 403 },
    { op: 'post /v1/newsletters/{id}/resume', path: `/v1/newsletters/${scheduledId}/resume`, beta: 404, readOnly: 403 },
    { op: 'post /v1/newsletters/{id}/cancel', path: `/v1/newsletters/${scheduledId}/cancel`, beta: 404, readOnly: 403 },
    { op: 'get /v1/newsletters/{id}/failures', path: `/v1/newsletters/${failedId}/failures`, beta: 404, readOnly: 200 },
    { op: 'post /v1/newsletters/{id}/retry-failed', path: `/v1/newsletters/${failedId}/retry-failed`, beta: 404, readOnly: 403 },
    { op: 'post /v1/lists', path: '/v1/lists', body: { name: 'Beta list' }, beta: 201, readOnly: 403 },
    { op: 'get /v1/lists/{id}', path: `/v1/lists/${listId}`, beta: 404, readOnly: 200 },
    {
      op: 'post /v1/lists/{id}/subscribers',
      path: `/v1/lists/${listId}/subscribers`,
      rawBody: 'email\nintruder@example.org\n',
      headers: { 'content-type': 'text/csv' },
      beta: 404,
      readOnly: 403,
    },
    { op: 'get /v1/lists', path: '/v1/lists', beta: 200, readOnly: 200 },
    { op: 'patch /v1/lists/{id}', path: `/v1/lists/${listId}`, body: { name: 'Taken over' }, beta: 404, readOnly: 403 },
    { op: 'delete /v1/lists/{id}', path: `/v1/lists/${listId}`, beta: 404, readOnly: 403 },
    { op: 'get /v1/lists/{id}/subscribers', path: `/v1/lists/${listId}/subscribers`, beta: 404, readOnly: 200 },
    { op: 'get /v1/lists/{id}/subscribers/{email}', path: `/v1/lists/${listId}/subscribers/reader%40example.org`, beta: 404, readOnly: 200 },
    { op: 'patch /v1/lists/{id}/subscribers/{email}', path: `/v1/lists/${listId}/subscribers/reader%40example.org`, body: { name: 'Mallory' }, beta: 404, readOnly: 403 },
    { op: 'delete /v1/lists/{id}/subscribers/{email}', path: `/v1/lists/${listId}/subscribers/reader%40example.org`, beta: 404, readOnly: 403 },
    // Beta's own export and erasure: beta's lists and suppressions only (alpha's subscriber stays, checked below).
    { op: 'get /v1/subscribers/{email}', path: '/v1/subscribers/reader%40example.org', beta: 200, readOnly: 200 },
    { op: 'delete /v1/subscribers/{email}', path: '/v1/subscribers/reader%40example.org', beta: 200, readOnly: 403 },
    { op: 'get /v1/suppressions', path: '/v1/suppressions', beta: 200, readOnly: 200 },
    { op: 'post /v1/suppressions', path: '/v1/suppressions', body: { email: 'beta-own@example.org' }, beta: 201, readOnly: 403 },
    { op: 'delete /v1/suppressions/{email}', path: '/v1/suppressions/alpha-only%40example.org', beta: 404, readOnly: 403 },
    { op: 'get /v1/dead-letters', path: '/v1/dead-letters', beta: 200, readOnly: 200 },
    { op: 'post /v1/dead-letters/{id}/redrive', path: `/v1/dead-letters/${deadLetter.id}/redrive`, beta: 403, readOnly: 403 },
    { op: 'post /send-newsletter', path: '/send-newsletter', body: { subject: 'x', content: '<p>x</p>', subscriberList: ['s@example.org'] }, beta: 202, readOnly: 403 },
  ];

  it('covers every authenticated HTTP operation of the OpenAPI document', async () => {
    const document = (await (await fetch(`${stack.gateway.baseUrl}/docs-json`)).json()) as OpenApiDocument;
    const documented = operationsOf(document)
      .filter((o) => o.authenticated)
      .map((o) => o.key)
      .sort();
    expect(httpTable().map((r) => r.op).sort()).toEqual(documented);
  });

  it("answers another tenant's key 404 on every route that names alpha's resources, and changes nothing", async () => {
    const answers: Record<string, number> = {};
    for (const row of httpTable()) {
      const method = row.op.split(' ')[0]!.toUpperCase();
      const res = await stack.request<{ error?: string }>(method, row.path, { apiKey: B, body: row.body, rawBody: row.rawBody, headers: row.headers });
      answers[row.op] = res.status;
    }
    expect(answers).toEqual(Object.fromEntries(httpTable().map((r) => [r.op, r.beta])));
    // A 404 is the same answer as for an id that does not exist.
    const unknown = await stack.request('GET', `/v1/newsletters/${UNKNOWN_ID}`, { apiKey: B });
    const foreign = await stack.request('GET', `/v1/newsletters/${failedId}`, { apiKey: B });
    expect({ ...(foreign.body as object), message: '' }).toEqual({ ...(unknown.body as object), message: '' });

    // Nothing of alpha's moved.
    expect(await viewAs(A, scheduledId)).toMatchObject({ status: 'scheduled' });
    expect(await viewAs(A, failedId)).toMatchObject({ status: 'failed', rounds: [] });
    expect((await stack.request<{ subscribers: number; name: string }>('GET', `/v1/lists/${listId}`, { apiKey: A })).body).toMatchObject({ subscribers: 1, name: 'Alpha readers' });
    const reader = await stack.request('GET', `/v1/lists/${listId}/subscribers/reader%40example.org`, { apiKey: A });
    expect(reader.body).toEqual({ email: 'reader@example.org', name: null, vars: {} });
    const alphaList = await stack.request<Page<{ email: string }>>('GET', '/v1/suppressions', { apiKey: A });
    expect(alphaList.body.items.map((i) => i.email)).toEqual(['alpha-only@example.org']);
    // Beta's own lists show only its own entries; beta sees none of alpha's dead letters, admin sees them.
    const betaList = await stack.request<Page<{ email: string }>>('GET', '/v1/suppressions', { apiKey: B });
    // (beta's erasure above left an erased entry: no address)
    expect(betaList.body.items.filter((i) => i.email !== '').map((i) => i.email)).toEqual(['beta-own@example.org']);
    const betaDead = await stack.request<Page<DeadLetterItem>>('GET', '/v1/dead-letters?limit=1000', { apiKey: B });
    expect(betaDead.body.items).toEqual([]);
    const alphaDead = await stack.request<Page<DeadLetterItem>>('GET', '/v1/dead-letters?limit=1000', { apiKey: A });
    expect(alphaDead.body.items.map((l) => l.newsletterId)).toEqual([failedId, failedId]);
  });

  it("gives the owner's own keys their resources, within their scopes (403 outside them)", async () => {
    for (const row of httpTable()) {
      const method = row.op.split(' ')[0]!.toUpperCase();
      if (row.readOnly !== 403) continue;
      const res = await stack.request(method, row.path, { apiKey: A_READ, body: row.body, rawBody: row.rawBody, headers: row.headers });
      expect({ op: row.op, status: res.status }).toEqual({ op: row.op, status: 403 });
    }
    for (const path of [`/v1/newsletters/${failedId}`, `/v1/newsletters/${failedId}/failures`, `/v1/lists/${listId}`]) {
      expect((await stack.request('GET', path, { apiKey: A_READ })).status).toBe(200);
    }
    const events = await fetch(`${stack.gateway.baseUrl}/v1/newsletters/${failedId}/events`, { headers: { authorization: `Bearer ${A_READ}` } });
    expect(events.status).toBe(200);
    expect(await events.text()).toContain('event: settled');
  });

  it('answers NOT_FOUND over gRPC on every method that names another tenant\'s newsletter or list, PERMISSION_DENIED outside the scope', async () => {
    const definition = loadSync('mailroom/v1/newsletters.proto', { includeDirs: [join(repoRoot(), 'libs', 'contracts', 'proto')] });
    const methods = Object.keys(definition['mailroom.v1.Newsletters'] as object).sort();
    const table: Record<string, { request: object; beta: string; readOnly: string }> = {
      SendNewsletter: { request: { subject: 'x', text: 'x', listId }, beta: 'NOT_FOUND', readOnly: 'PERMISSION_DENIED' },
      GetNewsletter: { request: { id: failedId }, beta: 'NOT_FOUND', readOnly: 'OK' },
      ListFailures: { request: { id: failedId }, beta: 'NOT_FOUND', readOnly: 'OK' },
      RetryFailed: { request: { id: failedId }, beta: 'NOT_FOUND', readOnly: 'PERMISSION_DENIED' },
      WatchNewsletter: { request: { id: failedId }, beta: 'NOT_FOUND', readOnly: 'OK' },
      PauseNewsletter: { request: { id: scheduledId }, beta: 'NOT_FOUND', readOnly: 'PERMISSION_DENIED' },
      ResumeNewsletter: { request: { id: scheduledId }, beta: 'NOT_FOUND', readOnly: 'PERMISSION_DENIED' },
      CancelNewsletter: { request: { id: scheduledId }, beta: 'NOT_FOUND', readOnly: 'PERMISSION_DENIED' },
    };
    expect(Object.keys(table).sort()).toEqual(methods);
    const outcome = async (method: string, request: object, key: string): Promise<string> => {
      if (method === 'WatchNewsletter') {
        const watched = await grpc.collect('newsletters', method, request, bearer(key), { timeoutMs: 20_000 });
        return watched.end === 'ok' ? 'OK' : watched.end.code;
      }
      try {
        await grpc.call(method, request, bearer(key));
        return 'OK';
      } catch {
        return (await grpc.failure(method, request, bearer(key))).code;
      }
    };
    const got: Record<string, [string, string]> = {};
    for (const [method, row] of Object.entries(table)) got[method] = [await outcome(method, row.request, B), await outcome(method, row.request, A_READ)];
    expect(got).toEqual(Object.fromEntries(Object.entries(table).map(([m, r]) => [m, [r.beta, r.readOnly]])));
    expect(await viewAs(A, scheduledId)).toMatchObject({ status: 'scheduled' });
  });

  it("skips a tenant's suppressions only for that tenant, and the global list's for everyone (test sends included)", async () => {
    expect((await stack.request('POST', '/v1/suppressions', { apiKey: ADMIN, body: { email: 'everyone-out@example.org', scope: 'global' } })).status).toBe(201);
    const recipients = ['alpha-only@example.org', 'everyone-out@example.org', 'welcome@example.org'];
    const send = async (key: string) => {
      const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { apiKey: key, body: { subject: 'Scoped', text: 'Hi', recipients } });
      expect(res.status).toBe(202);
      return stack.waitForNewsletterAs(key, res.body.id, (v) => v.status === 'completed');
    };
    expect(await send(A)).toMatchObject({ sent: 1, suppressed: 2 });
    expect(await send(B)).toMatchObject({ sent: 2, suppressed: 1 });

    const test = await stack.request<{ skipped: unknown[] }>('POST', '/v1/newsletters/test', {
      apiKey: A,
      body: { subject: 'Preview', text: 'Hi', recipients },
    });
    expect(test.status).toBe(202);
    expect(test.body.skipped).toEqual([
      { email: 'alpha-only@example.org', list: 'tenant' },
      { email: 'everyone-out@example.org', list: 'global' },
    ]);
    const nobodyLeft = await stack.request<{ field: string; message: string }>('POST', '/v1/newsletters/test', {
      apiKey: A,
      body: { subject: 'Preview', text: 'Hi', recipients: ['everyone-out@example.org'] },
    });
    expect(nobodyLeft.status).toBe(409);
    expect(nobodyLeft.body.message).toContain('everyone-out@example.org on the global list');
  });

  it('limits test sends per tenant (TEST_SENDS_PER_MINUTE), apart from the request budget', async () => {
    const testSend = (key: string) =>
      stack.request('POST', '/v1/newsletters/test', { apiKey: key, body: { subject: 'Preview', text: 'Hi', recipients: ['ed@example.org'] } });
    // 3 a minute, in bursts of 3 (one back every 20 s): within 5 quick tries, alpha is refused.
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof testSend>> | undefined;
    for (let i = 0; i < 5 && !limited; i += 1) {
      const res = await testSend(A);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.every((status) => status === 202 || status === 429)).toBe(true);
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another tenant has its own allowance; ordinary requests of alpha are not limited by it.
    expect((await testSend(ADMIN)).status).toBe(202);
    expect((await stack.request('GET', `/v1/newsletters/${failedId}`, { apiKey: A })).status).toBe(200);
  });

  it('reads records and suppressions stored before tenants as the default tenant\'s and the global list', async () => {
    const t = topology(stack.namespace);
    // A record as the gateway wrote it before tenants (no `tenant` field).
    const oldId = '11111111-1111-4111-8111-111111111111';
    const oldRecord = newNewsletterRecord(oldId, 1, new Date(), { sendAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(oldRecord).not.toHaveProperty('tenant');
    await (await new Kvm(nc).open(t.buckets.newsletters)).create(oldId, JSON.stringify(oldRecord));
    const oldListId = '22222222-2222-4222-8222-222222222222';
    const at = new Date().toISOString();
    await (await new Kvm(nc).open(t.buckets.lists)).create(
      oldListId,
      JSON.stringify({ v: 1, id: oldListId, name: 'Old', subscribers: 0, imports: [], importing: null, createdAt: at, updatedAt: at }),
    );
    // A suppression as stored before tenants: key = the address hash alone.
    await (await new Kvm(nc).open(t.buckets.suppressions)).create(
      addressHash('unsubscribed-long-ago@example.org'),
      JSON.stringify({ email: 'unsubscribed-long-ago@example.org', reason: 'unsubscribed', at, source: oldId }),
    );

    // The unnamed key is the default tenant's: it sees the old records; named keys do not.
    expect((await stack.request('GET', `/v1/newsletters/${oldId}`, { apiKey: LEGACY })).status).toBe(200);
    expect((await stack.request('GET', `/v1/lists/${oldListId}`, { apiKey: LEGACY })).status).toBe(200);
    expect((await stack.request('POST', `/v1/newsletters/${oldId}/cancel`, { apiKey: B })).status).toBe(404);
    expect((await stack.request('GET', `/v1/lists/${oldListId}`, { apiKey: A })).status).toBe(404);
    expect((await stack.request('POST', `/v1/newsletters/${oldId}/cancel`, { apiKey: LEGACY })).status).toBe(202);

    // The old suppression is on the global list: every tenant's sends skip it.
    const global = await stack.request<Page<{ email: string }>>('GET', '/v1/suppressions?scope=global&limit=1000', { apiKey: ADMIN });
    expect(global.body.items.map((i) => i.email)).toContain('unsubscribed-long-ago@example.org');
    for (const key of [A, B, LEGACY]) {
      const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
        apiKey: key,
        body: { subject: 'Old list', text: 'Hi', recipients: ['unsubscribed-long-ago@example.org', `fresh-${key.slice(0, 5)}@example.org`] },
      });
      expect(res.status).toBe(202);
      expect(await stack.waitForNewsletterAs(key, res.body.id, (v) => v.status === 'completed')).toMatchObject({ sent: 1, suppressed: 1 });
    }
    expect(smtp.deliveriesTo.get('unsubscribed-long-ago@example.org')).toBeUndefined();
  });

  it('keeps the cross-tenant actions for admin keys (global suppressions, every dead letter, re-drive)', async () => {
    for (const key of [A, A_READ, B]) {
      expect((await stack.request('GET', '/v1/suppressions?scope=global', { apiKey: key })).status).toBe(403);
      expect((await stack.request('POST', '/v1/suppressions', { apiKey: key, body: { email: 'g@example.org', scope: 'global' } })).status).toBe(403);
      expect((await stack.request('DELETE', '/v1/suppressions/g%40example.org?scope=global', { apiKey: key })).status).toBe(403);
      expect((await stack.request('POST', `/v1/dead-letters/${deadLetter.id}/redrive`, { apiKey: key })).status).toBe(403);
    }
    expect((await stack.request('GET', '/v1/suppressions?scope=global', { apiKey: ADMIN })).status).toBe(200);
    const everyDead = await stack.request<Page<DeadLetterItem>>('GET', '/v1/dead-letters?limit=1000', { apiKey: ADMIN });
    expect(everyDead.body.items.filter((l) => l.newsletterId === failedId)).toHaveLength(2);
    // The admin's re-drive is accepted (the body is still missing, so it will dead-letter again: beside the point).
    expect((await stack.request('POST', `/v1/dead-letters/${deadLetter.id}/redrive`, { apiKey: ADMIN })).status).toBe(202);
  });

  async function viewAs(key: string, id: string): Promise<NewsletterView> {
    const res = await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`, { apiKey: key });
    expect(res.status).toBe(200);
    return res.body;
  }
});
