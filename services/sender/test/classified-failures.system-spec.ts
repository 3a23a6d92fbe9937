import type { FailureEntry, NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink } from '@mailroom/testing';

jest.setTimeout(180_000);

// 2,000 recipients: every 10th (i % 10 == 3) is refused with 451 twice before it is accepted,
// every 50th (i % 50 == 7) is refused with 550 for good.
const COUNT = 2_000;
const address = (i: number) => `reader${i}@example.org`;
const isTransient = (i: number) => i % 10 === 3;
const isPermanent = (i: number) => i % 50 === 7;
const indexOf = (email: string) => Number(/^reader(\d+)@/.exec(email)?.[1] ?? -1);

describe('classified SMTP failures (real processes, scripted SMTP server)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start({
      faultAt: (email, attempt) => {
        const i = indexOf(email);
        if (isPermanent(i)) return { kind: 'reply', code: 550, message: '5.1.1 No such user here' };
        if (isTransient(i) && attempt <= 2) return { kind: 'reply', code: 451, message: '4.7.1 Greylisted, try later' };
        return undefined;
      },
      keepMessages: false,
    });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      senders: 2,
      serviceEnv: { sender: { MAX_ATTEMPTS: '5', RETRY_BASE_DELAY_MS: '200', RETRY_MAX_DELAY_MS: '1000' } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const recipients = Array.from({ length: COUNT }, (_, i) => address(i));
  const transient = recipients.filter((_, i) => isTransient(i));
  const permanent = recipients.filter((_, i) => isPermanent(i));
  let firstId = '';

  it('retries transient failures until accepted, fails permanent ones at once, and the counts add up', async () => {
    const started = Date.now();
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Faults', text: 'Hello', recipients, batchSize: 100 },
    });
    expect(res.status).toBe(202);
    firstId = res.body.id;
    const view = await stack.waitForNewsletter<NewsletterView>(firstId, (v) => v.pending === 0 && v.status !== 'sending', 120_000);
    process.stdout.write(
      `classified failures: ${COUNT} recipients, ${transient.length} transient, ${permanent.length} permanent, settled in ${Date.now() - started} ms\n`,
    );

    expect(view).toMatchObject({
      status: 'completed_with_failures',
      total: COUNT,
      sent: COUNT - permanent.length,
      failed: permanent.length,
      suppressed: 0,
      pending: 0,
    });
    for (const email of transient) {
      expect(smtp.deliveriesTo.get(email)).toBe(1);
      expect(smtp.attemptsFor(email)).toBe(3);
    }
    for (const email of permanent) {
      expect(smtp.deliveriesTo.get(email)).toBeUndefined();
      expect(smtp.attemptsFor(email)).toBe(1);
    }
    expect(smtp.acceptedTotal).toBe(COUNT - permanent.length);
    expect(smtp.duplicates).toBe(0);
  });

  it('lists the failures, a page at a time, with their SMTP code and reason', async () => {
    const seen: FailureEntry[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const res = await stack.request<{ items: FailureEntry[]; next: number | null }>(
        'GET',
        `/v1/newsletters/${firstId}/failures?limit=15&after=${after}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      pages += 1;
      if (res.body.next === null) break;
      after = res.body.next;
    }
    expect(pages).toBe(Math.ceil(permanent.length / 15));
    expect(seen.map((f) => f.email).sort()).toEqual([...permanent].sort());
    for (const failure of seen) {
      expect(failure).toMatchObject({ code: 550, permanent: true, attempts: 1 });
      expect(failure.reason).toContain('No such user');
    }
  });

  it('suppresses hard bounces: the next newsletter to the same list skips them', async () => {
    const before = smtp.acceptedTotal;
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Second issue', text: 'Hello again', recipients: recipients.slice(0, 500) },
    });
    const bouncedInSlice = permanent.filter((e) => indexOf(e) < 500);
    const view = await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed', 60_000);
    expect(view).toMatchObject({ total: 500, sent: 500 - bouncedInSlice.length, suppressed: bouncedInSlice.length, failed: 0 });
    expect(smtp.acceptedTotal - before).toBe(500 - bouncedInSlice.length);
    for (const email of bouncedInSlice) expect(smtp.attemptsFor(email)).toBe(1);
  });
});
