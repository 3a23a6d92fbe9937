import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, maxInWindow, observedRate } from '@mailroom/testing';
import { metricValue, scrape } from './support/metric-scrape';

jest.setTimeout(180_000);

// One provider limited to 50/s (burst: the default, max(3, 50 / 5) = 10), shared by three sender
// processes. Over any 1 s window the provider may see at most rate + burst = 60 messages.
const RATE = 50;
const BURST = 10;
const COUNT = 600;

describe('rate limit shared by every sender replica (3 processes, one provider at 50/s)', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ keepMessages: false });
    stack = await MailroomStack.start({
      smtpUrl: smtp.url,
      senders: 3,
      serviceEnv: { sender: { SMTP_RATE_PER_SECOND: String(RATE) } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  const send = async (prefix: string, count: number, extra: Record<string, unknown> = {}) => {
    const recipients = Array.from({ length: count }, (_, i) => `${prefix}${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: prefix, text: 'Hello', recipients, batchSize: 50, ...extra },
    });
    expect(res.status).toBe(202);
    return { id: res.body.id, recipients };
  };

  it('never lets any 1 s window exceed rate + burst, and the newsletter completes', async () => {
    const { id, recipients } = await send('rate', COUNT);
    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 120_000);
    expect(view).toMatchObject({ total: COUNT, sent: COUNT, failed: 0, pending: 0 });
    expect(recipients.every((r) => smtp.deliveriesTo.get(r) === 1)).toBe(true);

    const times = smtp.receivedAt.slice(-COUNT);
    const peak = maxInWindow(times, 1_000);
    const rate = observedRate(times);
    // Steady state: leave out the first second (the burst) and measure the rest.
    const steady = observedRate(times.filter((t) => t >= times[0]! + 1_000));
    process.stdout.write(
      `rate limit: ${COUNT} emails, 3 senders, ${RATE}/s burst ${BURST}: at most ${peak} in any 1 s window (bound ${RATE + BURST}), ` +
        `observed ${rate.toFixed(1)}/s overall, ${steady.toFixed(1)}/s after the first second\n`,
    );
    expect(peak).toBeLessThanOrEqual(RATE + BURST);
    // Not throttled into the ground either: three replicas together still use most of the rate.
    expect(steady).toBeGreaterThan(RATE * 0.85);
    expect(steady).toBeLessThan(RATE * 1.05);

    // Every replica took part, and each reports the provider's rates.
    const expositions = await Promise.all(stack.senders.map((s) => scrape(s.baseUrl)));
    const accepted = expositions.map((text) => metricValue(text, 'mailroom_sender_smtp_attempts_total', 'outcome="accepted",provider="default"') ?? 0);
    process.stdout.write(`rate limit: accepted per sender ${accepted.join(', ')}\n`);
    expect(accepted.reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(accepted.filter((n) => n > 0).length).toBe(3);
    for (const text of expositions) {
      expect(metricValue(text, 'mailroom_provider_configured_rate_per_second', 'provider="default"')).toBe(RATE);
      expect(metricValue(text, 'mailroom_provider_effective_rate_per_second', 'provider="default"')).toBe(RATE);
      expect(metricValue(text, 'mailroom_provider_breaker_state', 'provider="default"')).toBe(0);
      expect(text).toContain('mailroom_rate_limit_wait_seconds_bucket{le="0.1",limit="provider"}');
    }
  });

  it('holds a newsletter to its own lower ratePerSecond (a second shared bucket)', async () => {
    const cap = 20;
    const capBurst = 4; // max(3, ceil(20 / 5))
    const count = 200;
    const before = smtp.receivedAt.length;
    const { id } = await send('capped', count, { ratePerSecond: cap });
    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 120_000);
    expect(view).toMatchObject({ total: count, sent: count, failed: 0 });

    const times = smtp.receivedAt.slice(before);
    const peak = maxInWindow(times, 1_000);
    const steady = observedRate(times.filter((t) => t >= times[0]! + 1_000));
    process.stdout.write(
      `newsletter cap: ${count} emails at ratePerSecond ${cap} (provider ${RATE}/s): at most ${peak} in any 1 s window ` +
        `(bound ${cap + capBurst}), ${steady.toFixed(1)}/s after the first second\n`,
    );
    expect(peak).toBeLessThanOrEqual(cap + capBurst);
    expect(steady).toBeGreaterThan(cap * 0.85);
    expect(steady).toBeLessThan(cap * 1.05);
  });

  it('refuses a ratePerSecond that is not a positive number', async () => {
    const res = await stack.request<{ error: string; field?: string }>('POST', '/v1/newsletters', {
      body: { subject: 'bad', text: 'x', recipients: ['a@example.org'], ratePerSecond: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_failed', field: 'ratePerSecond' });
  });
});
