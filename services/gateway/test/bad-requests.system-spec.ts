import { lookup } from 'node:dns/promises';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import {
  ServiceProcess,
  TEST_API_KEY,
  TEST_NATS_URL,
  deleteNamespace,
  uniqueNamespace,
} from '@mailroom/testing';
import { newsletterTraces, storedContent } from './support/nats-state';

jest.setTimeout(60_000);

const valid = { subject: 'Hello', html: '<p>Hi</p>', recipients: ['a@example.org'] };
const json = (body: object) => JSON.stringify(body);

/** A key configured only as its SHA-256 (`name:sha256:<hex>`), and one that was revoked. */
const PARTNER_KEY = 'partner-key-0123456789abcdef';
const PARTNER_DIGEST = createHash('sha256').update(PARTNER_KEY).digest('hex');
const OLD_KEY = 'old-key-0123456789abcdefgh';

interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

describe('gateway: bad requests get their documented 4xx, create nothing, and the gateway keeps serving', () => {
  const namespace = uniqueNamespace('gw');
  let gateway: ServiceProcess;
  /** Every answer of this suite, checked for the one error shape at the end. */
  const answers: Array<{ label: string; status: number; contentType: string; body: unknown }> = [];

  const send = async (label: string, path: string, init: { body?: string; headers?: Record<string, string>; method?: string }) => {
    const res = await fetch(`${gateway.baseUrl}${path}`, {
      method: init.method ?? 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', ...init.headers },
      body: init.body,
    });
    const text = await res.text();
    const body = (text ? JSON.parse(text) : undefined) as ErrorBody;
    answers.push({ label, status: res.status, contentType: res.headers.get('content-type') ?? '', body });
    return { status: res.status, body, headers: res.headers };
  };
  const post = (body: string, headers: Record<string, string> = {}, path = '/v1/newsletters') => send(`POST ${path}`, path, { body, headers });

  beforeAll(async () => {
    gateway = await ServiceProcess.start('gateway', {
      env: {
        NATS_URL: TEST_NATS_URL,
        MAILROOM_NAMESPACE: namespace,
        API_KEYS: `test:${TEST_API_KEY},partner:sha256:${PARTNER_DIGEST},old:${OLD_KEY}`,
        API_KEYS_REVOKED: 'old',
        DEFAULT_FROM: 'Acme News <news@acme.example>',
        ALLOWED_FROM: 'news@acme.example,@mail.acme.example',
        MAX_BODY_BYTES: '65536',
        MAX_INLINE_RECIPIENTS: '5',
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await deleteNamespace(namespace);
  });

  describe('invalid bodies', () => {
    it.each([
      // [label, status, error, field, body, part of the message]
      ['missing subject', 400, 'validation_failed', 'subject', json({ ...valid, subject: undefined }), 'subject must be a string'],
      ['empty subject', 400, 'validation_failed', 'subject', json({ ...valid, subject: '' }), 'subject should not be empty'],
      ['no recipients', 400, 'validation_failed', 'recipients', json({ ...valid, recipients: [] }), 'at least one recipient'],
      ['neither html nor text', 400, 'validation_failed', 'html', json({ subject: 'x', recipients: ['a@example.org'] }), 'html or text is required'],
      ['batchSize out of range', 400, 'validation_failed', 'batchSize', json({ ...valid, batchSize: 5000 }), 'batchSize must not be greater than 1000'],
      // wrong types
      ['a subject that is a number', 400, 'validation_failed', 'subject', json({ ...valid, subject: 42 }), 'subject must be a string'],
      ['html that is a boolean', 400, 'validation_failed', 'html', json({ ...valid, html: true }), 'html or text is required'],
      ['text that is a list', 400, 'validation_failed', 'text', json({ ...valid, text: ['x'] }), 'text must be a string'],
      ['batchSize as a string', 400, 'validation_failed', 'batchSize', json({ ...valid, batchSize: '10' }), 'batchSize must be an integer'],
      ['recipients not a list', 400, 'validation_failed', 'recipients', json({ ...valid, recipients: 'a@example.org' }), 'recipients must be an array'],
      ['recipients as an object', 400, 'validation_failed', 'recipients', json({ ...valid, recipients: { email: 'a@example.org' } }), 'recipients must be an array'],
      ['a recipient that is a number', 400, 'validation_failed', 'recipients[1].email', json({ ...valid, recipients: ['a@example.org', 42] }), 'recipients[1].email must be a string'],
      ['a recipient name that is a number', 400, 'validation_failed', 'recipients[0].name', json({ ...valid, recipients: [{ email: 'a@example.org', name: 7 }] }), 'recipients[0].name must be a string'],
      ['from that is a number', 400, 'validation_failed', 'from', json({ ...valid, from: 5 }), 'from must be a string'],
      ['webhookUrl that is a number', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 7 }), 'webhookUrl must be a string'],
      // CR/LF (and other line breaks) in every text field that can reach a mail header
      ['CR/LF in the subject', 400, 'validation_failed', 'subject', json({ ...valid, subject: 'Hi\r\nBcc: x@evil.org' }), 'line breaks'],
      ['a bare LF in the subject', 400, 'validation_failed', 'subject', json({ ...valid, subject: 'Hi\nBcc: x@evil.org' }), 'line breaks'],
      ['a Unicode line separator in the subject', 400, 'validation_failed', 'subject', json({ ...valid, subject: 'Hi\u2028Bcc: x@evil.org' }), 'line breaks'],
      ['CR/LF in from', 400, 'validation_failed', 'from', json({ ...valid, from: 'news@acme.example\r\nBcc: x@evil.org' }), 'from must be'],
      ['CR/LF in a from display name', 400, 'validation_failed', 'from', json({ ...valid, from: 'Acme\r\nBcc: x@evil.org <news@acme.example>' }), 'from must be'],
      ['CR/LF in a recipient name', 400, 'validation_failed', 'recipients[0].name', json({ ...valid, recipients: [{ email: 'a@example.org', name: 'A\r\nBcc: x@evil.org' }] }), 'line breaks'],
      ['CR/LF in a recipient address', 400, 'validation_failed', 'recipients[0].email', json({ ...valid, recipients: ['a@example.org\r\nBcc: x@evil.org'] }), 'single bare email address'],
      ['CR/LF in webhookUrl', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'https://93.184.215.14/x\r\nX-Injected: 1' }), 'line breaks'],
      // bad addresses
      ['a display-name trick', 400, 'validation_failed', 'recipients[0].email', json({ ...valid, recipients: [{ email: 'Eve <eve@example.org>' }] }), 'single bare email address'],
      ['two addresses in one field', 400, 'validation_failed', 'recipients[0].email', json({ ...valid, recipients: ['a@example.org,b@example.org'] }), 'single bare email address'],
      ['a from that is not an address', 400, 'validation_failed', 'from', json({ ...valid, from: 'not an address' }), 'from must be'],
      ['a from whose display name is another address', 400, 'validation_failed', 'from', json({ ...valid, from: '"news@acme.example" <eve@evil.example>' }), 'from must be'],
      ['two addresses in from', 400, 'validation_failed', 'from', json({ ...valid, from: 'news@acme.example, eve@evil.example' }), 'from must be'],
      // limits
      ['more recipients than MAX_INLINE_RECIPIENTS', 400, 'validation_failed', 'recipients', json({ ...valid, recipients: ['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org', 'e@x.org', 'f@x.org'] }), 'at most 5 recipients per request; larger audiences go through subscriber lists'],
      // unknown fields
      ['an unknown field', 400, 'validation_failed', 'bcc', json({ ...valid, bcc: 'x@evil.org' }), 'bcc is not a known field'],
      ['a custom header with a line break (injection)', 400, 'validation_failed', 'headers', json({ ...valid, headers: { 'X-Evil': 'a\r\nBcc: x@evil.org' } }), 'headers: X-Evil must not contain line breaks or control characters'],
      ['a custom header off the allow-list', 400, 'validation_failed', 'headers', json({ ...valid, headers: { Bcc: 'x@evil.org' } }), 'headers: "Bcc" is not allowed'],
      ['an unknown field in a recipient', 400, 'validation_failed', 'recipients[0].cc', json({ ...valid, recipients: [{ email: 'a@example.org', cc: 'x@evil.org' }] }), 'recipients[0].cc is not a known field'],
      // forbidden sender
      ['a from outside ALLOWED_FROM', 403, 'forbidden', 'from', json({ ...valid, from: 'CEO <ceo@evil.example>' }), 'ceo@evil.example is not an allowed sender address'],
      ['a from on a subdomain of an allowed domain', 403, 'forbidden', 'from', json({ ...valid, from: 'x@sub.mail.acme.example' }), 'is not an allowed sender address'],
      // webhooks that would reach inside the deployment
      ['a webhook to 127.0.0.1', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://127.0.0.1:3000/v1/dead-letters' }), 'loopback address (127.0.0.1)'],
      ['a webhook to the cloud metadata service', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://169.254.169.254/latest/meta-data/' }), 'link-local address (169.254.169.254)'],
      ['a webhook to a private IP', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://10.0.0.5:8222/jsz' }), 'private address (10.0.0.5)'],
      ['a webhook to 192.168.x', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'https://192.168.1.1/' }), 'private address'],
      ['a webhook to ::1', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://[::1]:4222/' }), 'loopback address (::1)'],
      ['a webhook to IPv4-mapped 127.0.0.1', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://[::ffff:127.0.0.1]/' }), 'IPv4-mapped loopback'],
      ['a webhook to 127.0.0.1 spelled as a number', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://2130706433/' }), 'loopback address (127.0.0.1)'],
      ['a webhook to 127.0.0.1 spelled in hex', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://0x7f.1/' }), 'loopback address (127.0.0.1)'],
      ['a webhook to localhost', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'http://localhost:3000/' }), 'internal host name (localhost)'],
      ['a webhook that is not http(s)', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'file:///etc/passwd' }), 'http:// or https://'],
      ['a webhook with credentials', 400, 'validation_failed', 'webhookUrl', json({ ...valid, webhookUrl: 'https://user:pass@93.184.215.14/' }), 'user name or password'],
      // not JSON, or not an object
      ['malformed JSON', 400, 'malformed_json', undefined, '{"subject": "Hi", ', 'not valid JSON'],
      ['a JSON list instead of an object', 400, 'malformed_json', undefined, '[]', 'must be a JSON object'],
      ['a JSON string instead of an object', 400, 'malformed_json', undefined, '"hello"', 'not valid JSON'],
      ['a body over the limit', 413, 'payload_too_large', undefined, json({ ...valid, html: 'x'.repeat(70_000) }), 'larger than the limit of 65536 bytes'],
    ])('%s → %i %s', async (_label, status, error, field, body, message) => {
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(message);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const res = await post('subject=Hi', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ error: 'unsupported_media_type', message: 'Request body must be JSON (Content-Type: application/json)' });
    });

    it.each([
      ['a gzip body that is not gzip', { 'content-encoding': 'gzip' }, 'not gzip', 400, 'malformed_json'],
      ['a body in another charset', { 'content-type': 'application/json; charset=latin1' }, '{}', 400, 'malformed_json'],
    ])('refuses %s with %i, not a 500', async (_label, headers, body, status, error) => {
      const res = await post(body, headers);
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
    });

    it('refuses a path parameter that is not valid percent-encoding with 400', async () => {
      const res = await send('GET bad encoding', '/v1/newsletters/%E0%A4%A', { method: 'GET' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('bad_request');
    });

    it("refuses a webhook whose host name resolves to a loopback or private address (this machine's name)", async () => {
      // Environment-dependent: the machine's own name usually resolves to a loopback or private
      // address (/etc/hosts). The table-driven unit tests cover resolution with a scripted resolver.
      const name = hostname();
      const addresses = await lookup(name, { all: true }).catch(() => []);
      if (addresses.length === 0) return;
      const res = await post(json({ ...valid, webhookUrl: `http://${name}:8080/hook` }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'validation_failed', field: 'webhookUrl' });
      expect(res.body.message).toContain(`${name.toLowerCase()} resolves to`);
    });

    it('applies the same rules to the legacy /send-newsletter route', async () => {
      const list = await post(json({ subject: 'x', content: '<p>x</p>', subscriberList: ['ok@example.org', 'a@x.org\nBcc: b@x.org'] }), {}, '/send-newsletter');
      expect(list).toMatchObject({ status: 400, body: { field: 'subscriberList' } });
      const subject = await post(json({ subject: 'x\r\nBcc: b@x.org', content: '<p>x</p>', subscriberList: ['ok@example.org'] }), {}, '/send-newsletter');
      expect(subject).toMatchObject({ status: 400, body: { field: 'subject' } });
      const unknown = await post(json({ subject: 'x', content: '<p>x</p>', subscriberList: ['ok@example.org'], from: 'ceo@evil.example' }), {}, '/send-newsletter');
      expect(unknown).toMatchObject({ status: 400, body: { field: 'from', message: 'from is not a known field' } });
    });

    it.each([
      ['an id that is not a UUID', 'GET', '/v1/newsletters/not-an-id'],
      ['a wildcard id', 'GET', '/v1/newsletters/*/failures'],
      ['a wildcard id (retry)', 'POST', '/v1/newsletters/%3E/retry-failed'],
    ])('refuses %s with 400 before it reaches NATS', async (_label, method, path) => {
      const res = await send(`${method} ${path}`, path, { method });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'validation_failed', field: 'id', message: 'id must be a newsletter id (a UUID)' });
    });
  });

  describe('API keys', () => {
    it.each([
      ['no Authorization header', {}, 'Missing'],
      ['a wrong key', { authorization: 'Bearer wrong-key-0123456789abcdef' }, 'Invalid API key'],
      ['a key in the wrong scheme', { authorization: `Basic ${TEST_API_KEY}` }, 'Missing'],
      ['a revoked key', { authorization: `Bearer ${OLD_KEY}` }, 'This API key has been revoked'],
      ["the configured digest of a hashed key (it is not the key)", { authorization: `Bearer sha256:${PARTNER_DIGEST}` }, 'Invalid API key'],
      ['the digest without its prefix', { authorization: `Bearer ${PARTNER_DIGEST}` }, 'Invalid API key'],
    ])('%s → 401', async (_label, headers: Record<string, string>, message) => {
      const res = await fetch(`${gateway.baseUrl}/v1/newsletters`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: json(valid),
      });
      const body = (await res.json()) as ErrorBody;
      answers.push({ label: `401 ${_label}`, status: res.status, contentType: res.headers.get('content-type') ?? '', body });
      expect(res.status).toBe(401);
      expect(body.error).toBe('unauthorized');
      expect(body.message).toContain(message);
    });

    it('accepts a key configured only as its SHA-256 (this request then fails validation, not auth)', async () => {
      const res = await post(json({ ...valid, subject: '' }), { authorization: `Bearer ${PARTNER_KEY}` });
      expect(res).toMatchObject({ status: 400, body: { field: 'subject' } });
    });
  });

  describe('rate limit per key', () => {
    let limited: ServiceProcess;

    beforeAll(async () => {
      limited = await ServiceProcess.start('gateway', {
        label: 'gateway-limited',
        env: {
          NATS_URL: TEST_NATS_URL,
          MAILROOM_NAMESPACE: namespace,
          API_KEYS: `test:${TEST_API_KEY},partner:sha256:${PARTNER_DIGEST}`,
          RATE_LIMIT_PER_MINUTE: '6',
          RATE_LIMIT_BURST: '3',
        },
      });
    });

    afterAll(async () => {
      await limited?.stop();
    });

    const hit = async (key: string) => {
      const res = await fetch(`${limited.baseUrl}/v1/newsletters`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        // Valid except for the sender: nothing is queued even when the limit lets it through.
        body: json({ ...valid, from: 'ceo@evil.example' }),
      });
      const body = (await res.json()) as ErrorBody;
      answers.push({ label: 'rate limit', status: res.status, contentType: res.headers.get('content-type') ?? '', body });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
    };

    it('answers a burst over the limit with 429 and Retry-After, per key', async () => {
      const burst = await Promise.all(Array.from({ length: 6 }, () => hit(TEST_API_KEY)));
      expect(burst.map((r) => r.status).sort()).toEqual([403, 403, 403, 429, 429, 429]);
      for (const refused of burst.filter((r) => r.status === 429)) {
        expect(refused.body).toMatchObject({ error: 'rate_limited' });
        expect(refused.body.message).toContain('6 requests per minute');
        // 6 a minute is one every 10 s.
        expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(refused.retryAfter)).toBeLessThanOrEqual(10);
      }
      // Another key has its own budget.
      expect((await hit(PARTNER_KEY)).status).toBe(403);
    });

    it('keeps the limited gateway healthy', async () => {
      expect((await fetch(`${limited.baseUrl}/health/ready`)).status).toBe(200);
    });
  });

  describe('afterwards', () => {
    it('answered every refusal in the one error shape, as JSON, without a stack trace', () => {
      const refusals = answers.filter((a) => a.status >= 400);
      expect(refusals.length).toBeGreaterThan(60);
      for (const answer of refusals) {
        expect({ label: answer.label, type: answer.contentType }).toEqual({ label: answer.label, type: expect.stringContaining('application/json') });
        const body = answer.body as Record<string, unknown>;
        expect(Object.keys(body).filter((k) => !['error', 'message', 'field'].includes(k))).toEqual([]);
        expect(typeof body['error']).toBe('string');
        expect(body['message']).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|\.js:\d+/);
      }
    });

    it('published nothing and stored no newsletter for any of them', async () => {
      expect(await newsletterTraces(namespace)).toEqual({ requestsPublished: 0, newsletterRecords: [], contentObjects: 0 });
    });

    it('answers an unknown route with 404 in the same error shape', async () => {
      const res = await fetch(`${gateway.baseUrl}/v1/nothing-here`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    });

    it('answers 503, not a hang or a 500, when the tracker that owns the status is down', async () => {
      const res = await fetch(`${gateway.baseUrl}/v1/newsletters/00000000-0000-4000-8000-000000000000`, {
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'service_unavailable' });
    });

    it('still serves a valid request (with a webhook to a public address), and queues exactly that one', async () => {
      const res = await post(json({ ...valid, from: 'Acme <news@acme.example>', webhookUrl: 'https://93.184.215.14/mailroom-hook' }));
      expect(res.status).toBe(202);
      expect(gateway.running).toBe(true);
      const { id } = res.body as unknown as { id: string };
      expect(await newsletterTraces(namespace)).toMatchObject({ requestsPublished: 1, newsletterRecords: [id] });
      // The notifier finds the webhook in the stored content.
      expect(await storedContent(namespace, id)).toMatchObject({ from: '"Acme" <news@acme.example>', webhookUrl: 'https://93.184.215.14/mailroom-hook' });
    });
  });
});
