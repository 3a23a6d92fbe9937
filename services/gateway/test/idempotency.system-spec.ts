import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink } from '@mailroom/testing';

jest.setTimeout(120_000);

describe('Idempotency-Key (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: false });
    stack = await MailroomStack.start({ smtpUrl: smtp.url });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const body = { subject: 'Once', text: 'Only once', recipients: ['once1@example.org', 'once2@example.org', 'once3@example.org'] };

  it('returns the first newsletter for a repeated request and sends nothing twice, even when the repeats race', async () => {
    const headers = { 'idempotency-key': 'order-7781-newsletter' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => stack.request<{ id: string }>('POST', '/v1/newsletters', { body, headers })),
    );
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);

    const [id] = [...ids];
    await stack.waitForNewsletter<NewsletterView>(id!, (v) => v.status === 'completed');
    const late = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body, headers });
    expect(late.body.id).toBe(id);
    expect(smtp.acceptedTotal).toBe(3);
    expect(body.recipients.map((r) => smtp.deliveriesTo.get(r))).toEqual([1, 1, 1]);
  });

  it('refuses the same key with a different request (409) and accepts a new key', async () => {
    const headers = { 'idempotency-key': 'order-7781-newsletter' };
    const changed = await stack.request<{ error: string; field: string }>('POST', '/v1/newsletters', {
      body: { ...body, subject: 'Something else' },
      headers,
    });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ error: 'conflict', field: 'Idempotency-Key' });

    const fresh = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body, headers: { 'idempotency-key': 'order-7782' } });
    expect(fresh.status).toBe(202);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses a malformed key', async () => {
    const res = await stack.request<{ field: string }>('POST', '/v1/newsletters', { body, headers: { 'idempotency-key': 'x'.repeat(300) } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('Idempotency-Key');
  });
});
