import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { request } from 'node:http';
import { MailroomStack, SmtpSink, TEST_API_KEY, waitFor } from '@mailroom/testing';
import type { NewsletterView } from '@mailroom/contracts';
import { GrpcTestClient, bearer } from './support/grpc-client';
import { storedListParts } from './support/list-parts';
import { streamUpload } from './support/stream-upload';

jest.setTimeout(600_000);

interface ListView {
  id: string;
  name: string;
  subscribers: number;
  imports: Array<{ id: string; format: string; accepted: number; rejected: number; duplicates: number; bytes: number }>;
  importing: boolean;
  createdAt: string;
}
interface ImportResult {
  importId: string;
  accepted: number;
  rejected: number;
  duplicates: number;
  rejections: Array<{ line: number; reason: string }>;
  rejectionsTruncated: boolean;
  subscribers: number;
}
interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

// 30,000 rows: enough for several list parts and batches; 100,000 took a minute of CI time.
const ROWS = 30_000;
const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

/** Rows that are not `readerN@example.org`, by line (the header is line 1, row i is line i + 2). */
const ODD_ROWS: ReadonlyMap<number, { row: string; rejected?: string; duplicate?: true }> = new Map([
  [1001, { row: 'not-an-address,Nobody,Nowhere', rejected: 'invalid email: missing "@"' }],
  [5002, { row: 'reader7@EXAMPLE.org,Again,City 7', duplicate: true }],
  [20003, { row: 'someone@localhost,Local,Host', rejected: 'invalid email: domain has no top-level part' }],
  [15004, { row: 'reader123@example.org,Dup,City 23', duplicate: true }],
  [27777, { row: 'extra@example.org,Extra,City,surplus', rejected: 'has 4 fields, but the header has 3' }],
  [29999, { row: ',Nobody,Nowhere', rejected: 'email is missing' }],
]);

/** Writes the ROWS-row CSV to disk (so it is uploaded as a stream) and returns the accepted addresses. */
async function writeCsv(path: string): Promise<Set<string>> {
  const accepted = new Set<string>();
  const out = createWriteStream(path);
  out.write('email,name,city\n');
  for (let i = 0; i < ROWS; i += 1) {
    const odd = ODD_ROWS.get(i + 2);
    const row = odd ? odd.row : `reader${i}@example.org,Reader ${i},City ${i % 50}`;
    if (!odd) accepted.add(`reader${i}@example.org`);
    if (!out.write(`${row}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return accepted;
}

describe('subscriber lists: import at scale, send to a list (four processes, real NATS, real SMTP)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let dir: string;
  let list: ListView;
  let firstImport: ImportResult;
  let accepted: Set<string>;
  let ndjsonList: ListView;
  let grpcPort: number;

  const importUrl = (id: string) => `${stack.gateway.baseUrl}/v1/lists/${id}/subscribers`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-lists-'));
    smtp = await SmtpSink.start({ keepMessages: false });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      senders: 2,
      serviceEnv: {
        gateway: { MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES) },
        sender: { SMTP_MAX_CONNECTIONS: '8' },
      },
    });
    grpcPort = stack.gateway.grpcPort!;
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates an empty list (201)', async () => {
    const res = await stack.request<ListView>('POST', '/v1/lists', { body: { name: 'Monthly readers' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Monthly readers', subscribers: 0, imports: [], importing: false });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    list = res.body;
  });

  it('imports a 30,000-row CSV streamed: counts, rejected lines with reasons, duplicates, custom column as vars', async () => {
    const file = join(dir, 'readers.csv');
    accepted = await writeCsv(file);
    const started = Date.now();
    const res = await streamUpload<ImportResult>(importUrl(list.id), file, 'text/csv');
    process.stdout.write(`${ROWS}-row CSV imported in ${Date.now() - started} ms\n`);
    expect(res.status).toBe(200);
    const rejected = [...ODD_ROWS].filter(([, odd]) => odd.rejected).map(([line, odd]) => ({ line, reason: odd.rejected }));
    expect(res.body).toMatchObject({
      accepted: ROWS - ODD_ROWS.size,
      rejected: rejected.length,
      duplicates: 2,
      rejectionsTruncated: false,
      subscribers: ROWS - ODD_ROWS.size,
    });
    expect(res.body.accepted).toBe(accepted.size);
    expect(res.body.rejections).toEqual(rejected);
    firstImport = res.body;

    const view = await stack.request<ListView>('GET', `/v1/lists/${list.id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ subscribers: accepted.size, importing: false });
    expect(view.body.imports).toEqual([
      expect.objectContaining({ id: firstImport.importId, format: 'csv', accepted: accepted.size, rejected: 4, duplicates: 2 }),
    ]);

    // Stored normalised, with the custom column as vars: what the splitter hands to the senders.
    const parts = await storedListParts(stack.namespace);
    expect([...parts.values()]).toEqual([
      [
        { email: 'reader0@example.org', name: 'Reader 0', vars: { city: 'City 0' } },
        { email: 'reader1@example.org', name: 'Reader 1', vars: { city: 'City 1' } },
        { email: 'reader2@example.org', name: 'Reader 2', vars: { city: 'City 2' } },
      ],
    ]);
  });

  it('sends a newsletter to the list: completes with every accepted subscriber receiving exactly one email', async () => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'To the list', text: 'Hello, list.', listId: list.id, batchSize: 500 },
    });
    expect(res.status).toBe(202);
    const final = await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed', 480_000);
    expect(final).toMatchObject({ total: accepted.size, sent: accepted.size, failed: 0, pending: 0, duplicates: 0 });
    expect(final.batches.total).toBe(Math.ceil(accepted.size / 500));
    expect(smtp.acceptedTotal).toBe(accepted.size);
    expect(smtp.deliveriesTo.size).toBe(accepted.size);
    expect([...smtp.deliveriesTo.keys()].every((address) => accepted.has(address))).toBe(true);
    expect([...smtp.deliveriesTo.values()].every((n) => n === 1)).toBe(true);
  });

  it('appends a second import, de-duplicated against the first', async () => {
    const rows = ['email,name', ...Array.from({ length: 1000 }, (_, i) => `reader${i * 2}@example.org,Again ${i}`), ...Array.from({ length: 500 }, (_, i) => `late${i}@example.org,Late ${i}`)];
    const res = await streamUpload<ImportResult>(importUrl(list.id), Readable.from([rows.join('\n')]), 'text/csv; charset=utf-8');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 500, duplicates: 1000, rejected: 0, subscribers: accepted.size + 500 });

    const view = await stack.request<ListView>('GET', `/v1/lists/${list.id}`);
    expect(view.body.subscribers).toBe(accepted.size + 500);
    expect(view.body.imports.map((i) => [i.accepted, i.duplicates])).toEqual([
      [accepted.size, 2],
      [500, 1000],
    ]);
  });

  it('imports NDJSON, with vars and rejected lines', async () => {
    const created = await stack.request<ListView>('POST', '/v1/lists', { body: { name: 'From NDJSON' } });
    ndjsonList = created.body;
    const ndjson = [
      '{"email":"ann@example.org","name":"Ann","city":"Oslo","vip":true}',
      '',
      '{"email":"bob@example.org","vars":{"plan":"pro"}}',
      '{"email":"broken"}',
      '{"email":"ann@example.org","name":"Ann twice"}',
      'not json at all',
    ].join('\n');
    const res = await streamUpload<ImportResult>(importUrl(created.body.id), Readable.from([ndjson]), 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      accepted: 2,
      duplicates: 1,
      rejected: 2,
      rejections: [
        { line: 4, reason: 'invalid email: missing "@"' },
        { line: 6, reason: 'not valid JSON' },
      ],
      subscribers: 2,
    });
    const parts = await storedListParts(stack.namespace);
    const part = [...parts].find(([name]) => name.startsWith(`lists/${created.body.id}/`));
    expect(part?.[1]).toEqual([
      { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo', vip: 'true' } },
      { email: 'bob@example.org', vars: { plan: 'pro' } },
    ]);
  });

  it('sends to a list over gRPC (list_id), and refuses list_id with recipients', async () => {
    const client = new GrpcTestClient(`127.0.0.1:${grpcPort}`);
    try {
      const before = smtp.acceptedTotal;
      const sent = await client.call<{ id: string }>('SendNewsletter', { subject: 'By gRPC', text: 'Hi', listId: ndjsonList.id }, bearer(TEST_API_KEY));
      const done = await stack.waitForNewsletter<NewsletterView>(sent.id, (v) => v.status === 'completed');
      expect(done).toMatchObject({ total: 2, sent: 2 });
      expect(smtp.acceptedTotal - before).toBe(2);
      const both = await client.failure(
        'SendNewsletter',
        { subject: 'S', text: 'T', listId: ndjsonList.id, recipients: [{ email: 'a@example.org' }] },
        bearer(TEST_API_KEY),
      );
      expect(both).toMatchObject({ code: 'INVALID_ARGUMENT', trailers: { field: 'listId', error: 'validation_failed' } });
      const unknown = await client.failure('SendNewsletter', { subject: 'S', text: 'T', listId: '3f2d8e6b-9c10-4c1e-9a51-7f0c2a4e1b5d' }, bearer(TEST_API_KEY));
      expect(unknown).toMatchObject({ code: 'NOT_FOUND', trailers: { field: 'listId' } });
    } finally {
      client.close();
    }
  });

  it('refuses a body that is not CSV or NDJSON (415), changing nothing', async () => {
    const res = await stack.request<ErrorBody>('POST', `/v1/lists/${list.id}/subscribers`, { body: { email: 'x@example.org' } });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: 'unsupported_media_type', message: expect.stringContaining('text/csv') });
    expect((await stack.request<ListView>('GET', `/v1/lists/${list.id}`)).body.imports).toHaveLength(2);
  });

  it('refuses a CSV without an email column (400), changing nothing', async () => {
    const res = await streamUpload<ErrorBody>(importUrl(list.id), Readable.from(['name,city\nAnn,Oslo\n']), 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_failed', message: expect.stringContaining('"email" column') });
    expect((await stack.request<ListView>('GET', `/v1/lists/${list.id}`)).body.imports).toHaveLength(2);
  });

  it('refuses an import over MAX_IMPORT_BYTES (413) as it streams, adding nothing', async () => {
    const row = 'over@example.org,Over,The limit\n';
    const rowsNeeded = Math.ceil((MAX_IMPORT_BYTES * 1.2) / row.length);
    const body = Readable.from(
      (function* rows() {
        yield 'email,name,city\n';
        for (let i = 0; i < rowsNeeded; i += 1000) yield row.replace('over@', `over${i}-@`).repeat(1000);
      })(),
    );
    const res = await streamUpload<ErrorBody>(importUrl(list.id), body, 'text/csv');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large', message: expect.stringContaining(`${MAX_IMPORT_BYTES} bytes (MAX_IMPORT_BYTES)`) });
    const view = await stack.request<ListView>('GET', `/v1/lists/${list.id}`);
    expect(view.body).toMatchObject({ subscribers: accepted.size + 500, importing: false });
    expect(view.body.imports).toHaveLength(2);
  });

  it('adds nothing when the client goes away mid-upload, and the next import need not wait', async () => {
    const before = (await stack.request<ListView>('GET', `/v1/lists/${list.id}`)).body;
    const req = request(importUrl(list.id), { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'text/csv' } });
    req.on('error', () => undefined);
    req.write('email,name\n');
    for (let i = 0; i < 2000; i += 1) req.write(`gone${i}@example.org,Gone ${i}\n`);
    await waitFor(
      async () => (await stack.request<ListView>('GET', `/v1/lists/${list.id}`)).body.importing,
      (importing) => importing,
      { timeoutMs: 10_000, description: 'the import to start' },
    );
    req.destroy();
    const after = await waitFor(
      async () => (await stack.request<ListView>('GET', `/v1/lists/${list.id}`)).body,
      (view) => !view.importing,
      { timeoutMs: 10_000, description: 'the aborted import to be released' },
    );
    expect(after).toMatchObject({ subscribers: before.subscribers, imports: before.imports });
    const next = await streamUpload<ImportResult>(importUrl(list.id), Readable.from(['email\nafter-abort@example.org\n']), 'text/csv');
    expect(next.body).toMatchObject({ accepted: 1, subscribers: before.subscribers + 1 });
  });

  it('answers 404 for an unknown list (import, view, newsletter)', async () => {
    const unknown = '3f2d8e6b-9c10-4c1e-9a51-7f0c2a4e1b5d';
    const imported = await streamUpload<ErrorBody>(importUrl(unknown), Readable.from(['email\na@example.org\n']), 'text/csv');
    expect(imported).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await stack.request<ErrorBody>('GET', `/v1/lists/${unknown}`)).status).toBe(404);
    const sent = await stack.request<ErrorBody>('POST', '/v1/newsletters', { body: { subject: 'S', text: 'T', listId: unknown } });
    expect(sent).toMatchObject({ status: 404, body: { error: 'not_found', field: 'listId' } });
    expect((await stack.request<ErrorBody>('GET', '/v1/lists/not-a-uuid')).status).toBe(400);
  });

  it('refuses a newsletter with both listId and recipients, or neither (400), and to an empty list (409)', async () => {
    const both = await stack.request<ErrorBody>('POST', '/v1/newsletters', {
      body: { subject: 'S', text: 'T', listId: list.id, recipients: ['a@example.org'] },
    });
    expect(both).toMatchObject({ status: 400, body: { error: 'validation_failed', field: 'listId', message: 'give either recipients or listId, not both' } });
    const neither = await stack.request<ErrorBody>('POST', '/v1/newsletters', { body: { subject: 'S', text: 'T' } });
    expect(neither).toMatchObject({ status: 400, body: { error: 'validation_failed', field: 'recipients', message: expect.stringContaining('recipients or listId is required') } });

    const empty = await stack.request<ListView>('POST', '/v1/lists', { body: { name: 'Nobody yet' } });
    const toEmpty = await stack.request<ErrorBody>('POST', '/v1/newsletters', { body: { subject: 'S', text: 'T', listId: empty.body.id } });
    expect(toEmpty).toMatchObject({ status: 409, body: { error: 'conflict', field: 'listId' } });
  });

  it('points to lists when an inline request has too many recipients', async () => {
    const recipients = Array.from({ length: 100_001 }, (_, i) => `r${i}@example.org`);
    const res = await stack.request<ErrorBody>('POST', '/v1/newsletters', { body: { subject: 'S', text: 'T', recipients } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('POST /v1/lists');
  });
});
