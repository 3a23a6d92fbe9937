import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailroomStack, ServiceProcess, SmtpSink, TEST_API_KEY, TEST_NATS_URL, repoRoot, waitFor } from '@mailroom/testing';
import type { NewsletterView } from '@mailroom/contracts';
import { encodeBody, fillPath, operationsOf, type ErrorExample, type OpenApiDocument, type Operation } from './support/openapi-document';

jest.setTimeout(180_000);

/** Keys with one scope each, to provoke the 403 of a route that needs another. */
const READ_ONLY_KEY = 'reader-only-key-0123456789';
const SEND_ONLY_KEY = 'writer-only-key-0123456789';
/** The ops whose 403 example is about `from` (ALLOWED_FROM); every other 403 is a missing scope. */
const FROM_403 = new Set(['post /v1/newsletters', 'post /v1/newsletters/test']);

/** The gateway's body limit here: small, so a 413 is cheap to provoke; every example is far below it. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_IMPORT_BYTES = 4 * 1024;

/**
 * Documented error answers this test does not provoke, and why. Every other error status the
 * document gives an operation is provoked, and must answer that status with the example's code.
 */
const NOT_PROVOKED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^503 (?!get \/v1\/newsletters\/\{id\}(\/events)?$)/, 'needs NATS itself away (the status routes are provoked with the tracker stopped)'],
  [/^409 post \/v1\/lists\/\{id\}\/subscribers$/, 'needs two imports racing (lists.system-spec.ts)'],
  [/^409 (post|delete) \/v1\/suppressions/, 'a compare-and-set race lost to another writer'],
  [/^409 (patch|delete) \/v1\/(lists\/\{id\}|subscribers)/, 'needs a newsletter to the list that has not settled (list-lifecycle.system-spec.ts)'],
  [/^(409|422) post \/v1\/dead-letters\/\{id\}\/redrive$/, 'needs a dead letter of a given kind (dead-letters are tested in the tracker)'],
];

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** The OpenAPI document of a running gateway, and every example in it sent to that gateway. */
describe('OpenAPI examples (/docs-json) against a running gateway', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let operations: Operation[];
  /** Resources the examples refer to: a list with subscribers, a settled newsletter, an unsubscribe token. */
  const ctx = { listId: '', editListId: '', newsletterId: '', token: '' };

  const call = async (
    gateway: ServiceProcess,
    operation: Operation,
    options: { params?: Record<string, string>; mediaType?: string; body?: string; apiKey?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.apiKey !== null) headers['authorization'] = `Bearer ${options.apiKey ?? TEST_API_KEY}`;
    if (options.body !== undefined) headers['content-type'] ??= options.mediaType ?? 'application/json';
    const url = `${gateway.baseUrl}${fillPath(operation.path, options.params ?? paramsFor(operation.path))}`;
    const res = await fetch(url, { method: operation.method.toUpperCase(), headers, body: options.body });
    const text = operation.path.endsWith('/events') && res.status === 200 ? (await res.body?.cancel(), '') : await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a page or an event stream: keep the text
    }
    return { status: res.status, body };
  };

  /** Path parameters that name something that exists. */
  const paramsFor = (path: string): Record<string, string> => {
    // A subscriber's routes: a list no example sends a newsletter to (a change waits for such a newsletter to settle).
    if (path.startsWith('/v1/lists/') && path.endsWith('/{email}')) return { id: ctx.editListId, email: 'carol@example.org' };
    if (path.startsWith('/v1/lists/')) return { id: ctx.listId };
    if (path.startsWith('/v1/subscribers/')) return { email: 'carol@example.org' };
    if (path.startsWith('/v1/dead-letters/')) return { id: '999999' };
    if (path.startsWith('/v1/suppressions/')) return { email: 'ann@example.org' };
    if (path.startsWith('/unsubscribe/')) return { token: ctx.token };
    return { id: ctx.newsletterId };
  };
  const unknownParams = (path: string): Record<string, string> => {
    if (path.startsWith('/v1/dead-letters/')) return { id: '999999' };
    if (path.startsWith('/v1/suppressions/')) return { email: 'nobody-here@example.org' };
    // A list's subscriber: the list exists, the address is not in it.
    if (path.endsWith('/{email}')) return { id: ctx.editListId, email: 'nobody-here@example.org' };
    return { id: randomUUID() };
  };
  const invalidParams = (path: string): Record<string, string> =>
    path.startsWith('/v1/suppressions/') || path.startsWith('/v1/subscribers/') ? { email: 'not-an-address' } : { id: 'not-an-id', email: 'carol@example.org' };

  /** The first example of the operation's first media type, if it takes a body. */
  const firstExample = (operation: Operation): { mediaType: string; value: unknown } | undefined => {
    const [mediaType, examples] = [...operation.bodies][0] ?? [];
    return mediaType && examples ? { mediaType, value: withContext([...examples.values()][0]) } : undefined;
  };
  /** An example as a reader would send it: the subscriber list it names replaced by one that exists. */
  const withContext = (value: unknown): unknown =>
    typeof value === 'object' && value !== null && 'listId' in value ? { ...value, listId: ctx.listId } : value;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: {
        gateway: {
          MAX_BODY_BYTES: String(MAX_BODY_BYTES),
          MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES),
          // This test makes many requests in a row; the 429 is provoked on a second gateway below.
          RATE_LIMIT_PER_MINUTE: '60000',
          RATE_LIMIT_BURST: '10000',
          // Every operation's 401 is provoked from one address: more than the default 20 a minute.
          AUTH_FAILURES_PER_MINUTE: '1000',
          API_KEYS: `test@send+read+admin:${TEST_API_KEY},reader@read:${READ_ONLY_KEY},writer@send:${SEND_ONLY_KEY}`,
        },
      },
    });
    const res = await fetch(`${stack.gateway.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    operations = operationsOf((await res.json()) as OpenApiDocument);

    // What the examples refer to, made through the API as a reader would.
    const list = await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'Readers' } });
    ctx.listId = list.body.id;
    await stack.request('POST', `/v1/lists/${ctx.listId}/subscribers`, { rawBody: 'email\ncarol@example.org\n', headers: { 'content-type': 'text/csv' } });
    ctx.editListId = (await stack.request<{ id: string }>('POST', '/v1/lists', { body: { name: 'Edited' } })).body.id;
    await stack.request('POST', `/v1/lists/${ctx.editListId}/subscribers`, { rawBody: 'email,city\ncarol@example.org,Oslo\n', headers: { 'content-type': 'text/csv' } });
    const sent = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: 'Hi', text: 'Hello', recipients: ['dave@example.org'] } });
    ctx.newsletterId = sent.body.id;
    await stack.waitForNewsletter<NewsletterView>(ctx.newsletterId, (v) => v.status === 'completed');
    const [mail] = await smtp.parsed();
    const link = mail?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    ctx.token = /\/unsubscribe\/([A-Za-z0-9_-]+)>/.exec(link)?.[1] ?? '';
    expect(ctx.token).not.toBe('');
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('has a named example for every request body, and an example for every error answer', () => {
    const withBodies = operations.filter((o) => o.bodies.size > 0);
    expect(withBodies.length).toBeGreaterThanOrEqual(7);
    const withoutExamples = withBodies.flatMap((o) => [...o.bodies].filter(([, examples]) => examples.size === 0).map(([mediaType]) => `${o.key} (${mediaType})`));
    expect(withoutExamples).toEqual([]);
    for (const operation of operations) {
      for (const [status, example] of operation.errors) {
        expect({ operation: operation.key, status, example }).toEqual({
          operation: operation.key,
          status,
          example: expect.objectContaining({ error: expect.any(String), message: expect.any(String) }),
        });
      }
    }
    // One example per status, not the same one for all.
    const codes = new Map<number, Set<string>>();
    for (const operation of operations) for (const [status, e] of operation.errors) codes.set(status, (codes.get(status) ?? new Set()).add(e.error));
    expect(codes.get(401)).toEqual(new Set(['unauthorized']));
    expect(codes.get(404)).toEqual(new Set(['not_found']));
    expect(codes.get(429)).toEqual(new Set(['rate_limited']));
  });

  it('is served by routes that docs/api.md lists, every one of them', () => {
    // `Mapped {/v1/newsletters/:id, GET} route`: what Nest actually serves, as the API page spells it.
    const served = stack.gateway.output.flatMap((line) => {
      const match = /Mapped \{([^,]+), (\w+)\} route/.exec(line);
      return match ? [`\`${match[2]!} ${match[1]!}\``] : [];
    });
    expect(served.length).toBeGreaterThanOrEqual(20);
    const page = readFileSync(join(repoRoot(), 'docs', 'api.md'), 'utf8');
    expect(served.filter((route) => !page.includes(route))).toEqual([]);
  });

  it('answers every request example with its documented success status', async () => {
    const results: string[] = [];
    for (const operation of operations.filter((o) => o.bodies.size > 0)) {
      for (const [mediaType, examples] of operation.bodies) {
        for (const [name, value] of examples) {
          const answer = await call(stack.gateway, operation, { mediaType, body: encodeBody(mediaType, withContext(value)) });
          const documented = operation.successes.includes(answer.status);
          results.push(`${operation.key} (${mediaType}, ${name}): ${answer.status}${documented ? '' : ` ${JSON.stringify(answer.body)}`}`);
          // The answer itself when the status is not a documented success: it says what was wrong.
          expect({ example: `${operation.key} ${name}`, answer: documented ? `a documented ${answer.status}` : answer }).toEqual({
            example: `${operation.key} ${name}`,
            answer: `a documented ${answer.status}`,
          });
        }
      }
    }
    process.stdout.write(`request examples:\n  ${results.join('\n  ')}\n`);
  });

  it('answers each documented error with that status and the example\'s code, where it can be provoked', async () => {
    const provoked: string[] = [];
    const skipped: string[] = [];
    for (const operation of operations) {
      for (const [status, example] of operation.errors) {
        const pair = `${status} ${operation.key}`;
        const reason = NOT_PROVOKED.find(([pattern]) => pattern.test(pair))?.[1];
        if (reason || status === 429 || status === 503) {
          if (reason) skipped.push(`${pair}: ${reason}`);
          continue; // 429 and 503 have their own tests below
        }
        const answer = await provoke(operation, status);
        expect({ pair, status: answer.status, error: errorOf(answer) }).toEqual({ pair, status, error: example.error });
        provoked.push(pair);
      }
    }
    process.stdout.write(`provoked ${provoked.length} documented errors; not provoked:\n  ${skipped.join('\n  ')}\n`);
  });

  /** One request that should get `status` from `operation`. */
  async function provoke(operation: Operation, status: number): Promise<Answer> {
    const example = firstExample(operation);
    const valid = example ? { mediaType: example.mediaType, body: encodeBody(example.mediaType, example.value) } : {};
    const isJson = example?.mediaType === 'application/json';
    switch (status) {
      case 401:
        return call(stack.gateway, operation, { ...valid, apiKey: null });
      case 400:
        if (operation.path.includes('{')) return call(stack.gateway, operation, { ...valid, params: invalidParams(operation.path) });
        if (isJson) return call(stack.gateway, operation, { body: '{}' });
        return call(stack.gateway, { ...operation, path: `${operation.path}?limit=100000` });
      case 403:
        if (FROM_403.has(operation.key)) {
          return call(stack.gateway, operation, { body: JSON.stringify({ ...(example?.value as object), from: 'news@elsewhere.example' }) });
        }
        // A key without the route's scope: reading with a send-only key, anything else with a read-only one.
        return call(stack.gateway, operation, { ...valid, apiKey: operation.method === 'get' ? SEND_ONLY_KEY : READ_ONLY_KEY });
      case 404:
        if (!operation.path.includes('{')) {
          // A body naming something that does not exist: the subscriber-list example with an unknown list.
          const toList = [...(operation.bodies.get('application/json')?.values() ?? [])].find((v) => typeof v === 'object' && v !== null && 'listId' in v);
          return call(stack.gateway, operation, { body: JSON.stringify({ ...(toList as object), listId: randomUUID() }) });
        }
        return call(stack.gateway, operation, { ...valid, params: unknownParams(operation.path) });
      case 409:
        return conflict(operation);
      case 413: {
        const limit = isJson ? MAX_BODY_BYTES : MAX_IMPORT_BYTES;
        const big = isJson
          ? JSON.stringify({ subject: 'Big', text: 'x'.repeat(limit), recipients: ['ann@example.org'] })
          : `email\n${'someone@example.org\n'.repeat(Math.ceil(limit / 20) + 10)}`;
        return call(stack.gateway, operation, { mediaType: example?.mediaType, body: big });
      }
      case 415:
        return call(stack.gateway, operation, { mediaType: 'text/plain', body: 'hello' });
      default:
        throw new Error(`No way to provoke ${status} on ${operation.key}: provoke it here, or list it in NOT_PROVOKED with the reason`);
    }
  }

  /** A 409: the state does not allow it (the settled newsletter), or an Idempotency-Key reused. */
  async function conflict(operation: Operation): Promise<Answer> {
    if (operation.key === 'post /v1/newsletters') {
      const key = randomUUID();
      const first = await call(stack.gateway, operation, { body: JSON.stringify({ subject: 'Once', text: 'Hi', recipients: ['ann@example.org'] }), headers: { 'idempotency-key': key } });
      expect(first.status).toBe(202);
      return call(stack.gateway, operation, { body: JSON.stringify({ subject: 'Other', text: 'Hi', recipients: ['ann@example.org'] }), headers: { 'idempotency-key': key } });
    }
    if (operation.key === 'post /v1/newsletters/test') {
      // Every recipient suppressed: nothing to send.
      const suppressed = await call(stack.gateway, { ...operation, path: '/v1/suppressions' }, { body: JSON.stringify({ email: 'gone-editor@example.org' }) });
      expect([200, 201]).toContain(suppressed.status);
      return call(stack.gateway, operation, { body: JSON.stringify({ subject: 'Test', text: 'Hi', recipients: ['gone-editor@example.org'] }) });
    }
    // pause, resume, cancel and retry-failed of a newsletter that completed without failures
    return call(stack.gateway, operation);
  }

  it('answers 429 with the example\'s code on every operation that documents it, once a key is over its limit', async () => {
    const limited = await ServiceProcess.start('gateway', {
      env: {
        NATS_URL: TEST_NATS_URL,
        MAILROOM_NAMESPACE: stack.namespace,
        API_KEYS: `test:${TEST_API_KEY}`,
        RATE_LIMIT_PER_MINUTE: '1',
        RATE_LIMIT_BURST: '1',
      },
    });
    try {
      const withLimit = operations.filter((o) => o.errors.has(429));
      expect(withLimit.length).toBeGreaterThanOrEqual(10);
      // The one request of the burst; everything after it within the minute is over the limit.
      await call(limited, withLimit.find((o) => o.key === 'get /v1/newsletters/{id}')!);
      for (const operation of withLimit) {
        const example = firstExample(operation);
        const answer = await call(limited, operation, example ? { mediaType: example.mediaType, body: encodeBody(example.mediaType, example.value) } : {});
        expect({ operation: operation.key, status: answer.status, error: errorOf(answer) }).toEqual({
          operation: operation.key,
          status: 429,
          error: operation.errors.get(429)!.error,
        });
      }
    } finally {
      await limited.stop();
    }
  });

  it('answers 503 with the example\'s code on the status routes while the tracker is away', async () => {
    await stack.tracker.stop();
    for (const key of ['get /v1/newsletters/{id}', 'get /v1/newsletters/{id}/events']) {
      const operation = operations.find((o) => o.key === key)!;
      const answer = await waitFor(
        () => call(stack.gateway, operation),
        (a) => a.status !== 200,
        { timeoutMs: 30_000, description: `${key} to notice the tracker is away` },
      );
      expect({ key, status: answer.status, error: errorOf(answer) }).toEqual({ key, status: 503, error: operation.errors.get(503)!.error });
    }
  });
});

function errorOf(answer: Answer): string | undefined {
  return typeof answer.body === 'object' && answer.body !== null ? (answer.body as Partial<ErrorExample>).error : undefined;
}
