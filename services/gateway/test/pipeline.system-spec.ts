import { MailroomStack, SmtpSink, waitFor } from '@mailroom/testing';
import type { NewsletterView } from '@mailroom/contracts';

jest.setTimeout(180_000);

describe('newsletter pipeline, end to end (four processes, real NATS, real SMTP)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({ smtpUrl: smtp.url });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('delivers a 1,000-recipient newsletter exactly once to every recipient', async () => {
    const recipients = Array.from({ length: 1000 }, (_, i) => `reader${i}@example.org`);
    const started = Date.now();
    const accepted = await stack.request<{ id: string; status: string }>('POST', '/v1/newsletters', {
      body: {
        subject: 'Issue #1: hello',
        html: '<h1>Hello readers</h1><p>First issue.</p>',
        text: 'Hello readers. First issue.',
        recipients,
        batchSize: 50,
      },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('queued');

    const final = await waitFor(
      async () => (await stack.request<NewsletterView>('GET', `/v1/newsletters/${accepted.body.id}`)).body,
      (view) => view.status === 'completed',
      { timeoutMs: 120_000, intervalMs: 250, description: 'the newsletter to complete' },
    );
    const tookMs = Date.now() - started;
    process.stdout.write(`1,000-recipient newsletter completed in ${tookMs} ms\n`);

    expect(final).toMatchObject({ total: 1000, sent: 1000, failed: 0, pending: 0, batches: { total: 20, completed: 20 } });

    // Every recipient exactly once, nothing else.
    expect(smtp.acceptedTotal).toBe(1000);
    expect([...smtp.deliveriesTo.keys()].sort()).toEqual([...recipients].sort());
    expect([...smtp.deliveriesTo.values()].every((n) => n === 1)).toBe(true);

    const mails = await smtp.parsed();
    for (const mail of mails) {
      expect(mail.subject).toBe('Issue #1: hello');
      expect(mail.html).toContain('<h1>Hello readers</h1>');
      expect(mail.text?.trim()).toBe('Hello readers. First issue.');
      expect(mail.headers.get('x-mailroom-newsletter-id')).toBe(accepted.body.id);
    }
  });

  it('accepts the request shape of the tutorial it replaces (POST /send-newsletter)', async () => {
    const before = smtp.acceptedTotal;
    const res = await stack.request<{ jobId: string }>('POST', '/send-newsletter', {
      body: { subject: 'Legacy', content: '<p>Legacy body</p>', subscriberList: ['old1@example.org', 'old2@example.org'] },
    });
    expect(res.status).toBe(202);
    const view = await waitFor(
      async () => (await stack.request<NewsletterView>('GET', `/v1/newsletters/${res.body.jobId}`)).body,
      (v) => v.status === 'completed',
      { timeoutMs: 30_000, description: 'the legacy newsletter to complete' },
    );
    expect(view).toMatchObject({ total: 2, sent: 2 });
    expect(smtp.acceptedTotal - before).toBe(2);
    expect(smtp.deliveriesTo.get('old1@example.org')).toBe(1);
  });

  it('de-duplicates the list and counts invalid addresses as failed, with the reason', async () => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: {
        subject: 'Dedup',
        text: 'plain',
        recipients: ['dup@example.org', ' dup@EXAMPLE.ORG ', { email: 'dup@Example.org', name: 'Again' }, 'broken-address', 'fine@example.org'],
      },
    });
    expect(res.status).toBe(202);
    const view = await waitFor(
      async () => (await stack.request<NewsletterView>('GET', `/v1/newsletters/${res.body.id}`)).body,
      (v) => v.status === 'completed_with_failures',
      { timeoutMs: 30_000, description: 'the newsletter to settle' },
    );
    expect(view).toMatchObject({ total: 3, sent: 2, failed: 1, duplicates: 2, pending: 0 });
    expect(smtp.deliveriesTo.get('dup@example.org')).toBe(1);
  });

  it('answers 404 for an unknown newsletter', async () => {
    const res = await stack.request('GET', '/v1/newsletters/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found' });
  });
});
