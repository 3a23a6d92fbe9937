import type { FailureEntry, NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink } from '@mailroom/testing';

jest.setTimeout(180_000);

const COUNT = 200;
const isTransient = (i: number) => i % 5 === 0;
const isPermanent = (i: number) => i % 20 === 1;
const indexOf = (email: string) => Number(/^r(\d+)@/.exec(email)?.[1] ?? -1);

describe('retry-failed (real processes)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let outage = true;

  beforeAll(async () => {
    // Every 5th mailbox is unavailable (451) until the outage ends; every 20th does not exist (550).
    smtp = await SmtpSink.start({
      keepMessages: false,
      faultAt: (email) => {
        const i = indexOf(email);
        if (isPermanent(i)) return { kind: 'reply', code: 550, message: 'No such user' };
        if (outage && isTransient(i)) return { kind: 'reply', code: 451, message: 'Mailbox temporarily unavailable' };
        return undefined;
      },
    });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: {
        sender: { MAX_ATTEMPTS: '2', RETRY_BASE_DELAY_MS: '100', RETRY_MAX_DELAY_MS: '300' },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const recipients = Array.from({ length: COUNT }, (_, i) => `r${i}@example.org`);
  const transient = recipients.filter((_, i) => isTransient(i));
  const permanent = recipients.filter((_, i) => isPermanent(i));
  const failures = async (id: string) =>
    (await stack.request<{ items: FailureEntry[] }>('GET', `/v1/newsletters/${id}/failures?limit=1000`)).body.items;

  it('re-sends to the transiently failed recipients only, once each, after the outage ends', async () => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Retry me', text: 'Hello', recipients, batchSize: 25 },
    });
    const id = res.body.id;
    const first = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed_with_failures');
    expect(first).toMatchObject({ sent: COUNT - transient.length - permanent.length, failed: transient.length + permanent.length });
    const before = await failures(id);
    expect(before.filter((f) => !f.permanent).map((f) => f.email).sort()).toEqual([...transient].sort());
    expect(before.filter((f) => !f.permanent).every((f) => f.reason.startsWith('retries exhausted: 451'))).toBe(true);

    outage = false;
    const retry = await stack.request<{ round: string; status: string }>('POST', `/v1/newsletters/${id}/retry-failed`);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ round: 'r1', status: 'sending' });
    expect((await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body.status).toBe('sending');

    const after = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed_with_failures' && v.rounds.length === 1);
    expect(after).toMatchObject({ sent: COUNT - permanent.length, failed: permanent.length, pending: 0 });
    expect(after.rounds[0]).toMatchObject({ id: 'r1', completed: after.rounds[0]!.batches });
    for (const email of recipients) {
      expect(smtp.deliveriesTo.get(email) ?? 0).toBe(permanent.includes(email) ? 0 : 1);
    }
    for (const email of permanent) expect(smtp.attemptsFor(email)).toBe(1);
    expect((await failures(id)).map((f) => f.email).sort()).toEqual([...permanent].sort());

    // Another round finds only permanent failures: it settles at once and sends nothing.
    const accepted = smtp.acceptedTotal;
    const again = await stack.request<{ round: string }>('POST', `/v1/newsletters/${id}/retry-failed`);
    expect(again.body.round).toBe('r2');
    const settled = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed_with_failures' && v.rounds.length === 2);
    expect(settled.failed).toBe(permanent.length);
    expect(smtp.acceptedTotal).toBe(accepted);
  });

  it('refuses a retry with nothing to retry (409) and for an unknown newsletter (404)', async () => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Clean', text: 'Hello', recipients: ['clean@example.org'] },
    });
    await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed');
    const nothing = await stack.request<{ error: string }>('POST', `/v1/newsletters/${res.body.id}/retry-failed`);
    expect(nothing.status).toBe(409);
    expect(nothing.body.error).toBe('conflict');
    expect((await stack.request('POST', '/v1/newsletters/00000000-0000-4000-8000-000000000000/retry-failed')).status).toBe(404);
    expect((await stack.request('GET', '/v1/newsletters/00000000-0000-4000-8000-000000000000/failures')).status).toBe(404);
  });
});
