import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { topology } from '@mailroom/contracts';
import { ServiceProcess, TEST_API_KEY, TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(60_000);

const valid = { subject: 'Hello', html: '<p>Hi</p>', recipients: ['a@example.org'] };

describe('gateway: bad requests get a 4xx naming the problem, and create nothing', () => {
  const namespace = uniqueNamespace('gw');
  const t = topology(namespace);
  let gateway: ServiceProcess;
  let nc: NatsConnection;

  const post = async (body: string, headers: Record<string, string> = {}, path = '/v1/newsletters') => {
    const res = await fetch(`${gateway.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as { error: string; message: string; field?: string } };
  };

  beforeAll(async () => {
    gateway = await ServiceProcess.start('gateway', {
      env: { NATS_URL: TEST_NATS_URL, MAILROOM_NAMESPACE: namespace, API_KEYS: `test:${TEST_API_KEY}`, MAX_BODY_BYTES: '65536' },
    });
    nc = await connect({ servers: TEST_NATS_URL });
  });

  afterAll(async () => {
    await gateway?.stop();
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it.each([
    ['missing subject', 400, 'validation_failed', 'subject', JSON.stringify({ ...valid, subject: undefined })],
    ['empty subject', 400, 'validation_failed', 'subject', JSON.stringify({ ...valid, subject: '' })],
    ['CR/LF in the subject', 400, 'validation_failed', 'subject', JSON.stringify({ ...valid, subject: 'Hi\r\nBcc: x@evil.org' })],
    ['no recipients', 400, 'validation_failed', 'recipients', JSON.stringify({ ...valid, recipients: [] })],
    ['recipients not a list', 400, 'validation_failed', 'recipients', JSON.stringify({ ...valid, recipients: 'a@example.org' })],
    ['a recipient that is a number', 400, 'validation_failed', 'recipients[1].email', JSON.stringify({ ...valid, recipients: ['a@example.org', 42] })],
    ['a display-name trick', 400, 'validation_failed', 'recipients[0].email', JSON.stringify({ ...valid, recipients: [{ email: 'Eve <eve@example.org>' }] })],
    ['two addresses in one field', 400, 'validation_failed', 'recipients[0].email', JSON.stringify({ ...valid, recipients: ['a@example.org,b@example.org'] })],
    ['neither html nor text', 400, 'validation_failed', 'html', JSON.stringify({ subject: 'x', recipients: ['a@example.org'] })],
    ['batchSize out of range', 400, 'validation_failed', 'batchSize', JSON.stringify({ ...valid, batchSize: 5000 })],
    ['an unknown field', 400, 'validation_failed', 'bcc', JSON.stringify({ ...valid, bcc: 'x@evil.org' })],
    ['a bad from', 400, 'validation_failed', 'from', JSON.stringify({ ...valid, from: 'a@example.org\r\nBcc: x@evil.org' })],
    ['malformed JSON', 400, 'malformed_json', undefined, '{"subject": "Hi", '],
    ['a body over the limit', 413, 'payload_too_large', undefined, JSON.stringify({ ...valid, html: 'x'.repeat(70_000) })],
  ])('%s → %i %s', async (_label, status, error, field, body) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    if (field) {
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(field);
    }
  });

  it('says what the limit is when the body is too large', async () => {
    const res = await post(JSON.stringify({ ...valid, html: 'x'.repeat(70_000) }));
    expect(res.body.message).toContain('65536 bytes');
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong key', { authorization: 'Bearer wrong-key-0123456789abcdef' }],
    ['a key in the wrong scheme', { authorization: `Basic ${TEST_API_KEY}` }],
  ])('%s → 401', async (_label: string, headers: Record<string, string>) => {
    const res = await fetch(`${gateway.baseUrl}/v1/newsletters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(valid),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized');
  });

  it('applies the same rules to the legacy /send-newsletter route', async () => {
    const res = await post(JSON.stringify({ subject: 'x', content: '<p>x</p>', subscriberList: ['ok@example.org', 'a@x.org\nBcc: b@x.org'] }), {}, '/send-newsletter');
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('subscriberList');
  });

  it('published nothing and stored no newsletter for any of them', async () => {
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(t.streams.requests)).state.messages).toBe(0);
    const kv = await new Kvm(nc).open(t.buckets.newsletters);
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    expect(keys).toEqual([]);
    expect((await jsm.streams.info(`OBJ_${t.objectStores.content}`)).state.messages).toBe(0);
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
});
