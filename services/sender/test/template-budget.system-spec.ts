import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink } from '@mailroom/testing';

jest.setTimeout(180_000);

/** Costly for every recipient but the sample address the gateway renders at submit. */
const PATHOLOGICAL = '{% if email != "reader@example.org" %}{% for i in (1..4000) %}{% for j in (1..4000) %}{% endfor %}{% endfor %}{% endif %}Hi';
/**
 * 1,000 characters of merge data doubled 12 times: 4 MB, above this test's MAX_RENDERED_EMAIL_BYTES.
 * Doubling rather than a 2,500-step loop: the gateway renders the template at submit for a sample
 * recipient (empty `pad`) within a 50 ms budget, and a long loop could exceed it on a loaded CI
 * machine (it did: a 400 at submit) although its output is empty.
 */
const HUGE = `{% assign s = pad %}${'{% assign s = s | append: s %}'.repeat(12)}{{ s }}`;

interface FailurePage {
  items: Array<{ email: string; reason: string; permanent: boolean }>;
}

describe('template budgets in the sender (real processes, real SMTP sink)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      serviceEnv: { sender: { RENDER_FAILURES_TO_STOP: '3', MAX_RENDERED_EMAIL_BYTES: String(2 * 1024 * 1024) } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const settle = async (body: Record<string, unknown>) => {
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body });
    expect([res.status, res.body]).toEqual([202, expect.anything()]);
    const view = await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => ['completed', 'failed'].includes(v.status), 120_000);
    const failures = await stack.request<FailurePage>('GET', `/v1/newsletters/${res.body.id}/failures?limit=100`);
    return { view, failures: failures.body.items };
  };

  it('fails every recipient of a pathological newsletter with the reason, stops rendering it after RENDER_FAILURES_TO_STOP, and still delivers another newsletter', async () => {
    const recipients = Array.from({ length: 20 }, (_, i) => `r${i}@example.org`);
    const [bad, good] = await Promise.all([
      settle({ subject: 'Pathological', html: PATHOLOGICAL, recipients }),
      settle({ subject: 'Normal', text: 'Hello', recipients: ['ok@example.org'] }),
    ]);
    expect(bad.view.failed).toBe(20);
    expect(bad.failures.every((f) => f.permanent)).toBe(true);
    expect(bad.failures.some((f) => /could not be rendered for this recipient: html: .*limit/.test(f.reason))).toBe(true);
    expect(bad.failures.filter((f) => f.reason.includes('the newsletter was stopped after its template failed for 3 recipients in a row')).length).toBeGreaterThanOrEqual(15);
    expect(good.view.sent).toBe(1);
    expect(smtp.messages.some((m) => m.to.includes('ok@example.org'))).toBe(true);
  });

  it('fails a recipient whose email would be huge before SMTP, without building it', async () => {
    const { view, failures } = await settle({
      subject: 'Huge',
      text: HUGE,
      recipients: [{ email: 'big@example.org', vars: { pad: 'x'.repeat(1000) } }],
    });
    expect(view.failed).toBe(1);
    // Whichever budget it meets first on this machine: output characters, MAX_RENDERED_EMAIL_BYTES or time.
    expect(failures[0]?.reason).toMatch(/renders more than \d+ characters|MAX_RENDERED_EMAIL_BYTES|render limit exceeded/);
    expect(smtp.messages.some((m) => m.to.includes('big@example.org'))).toBe(false);
  });
});
