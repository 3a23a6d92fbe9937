import type { FailureEntry, NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, UnreachablePort, waitFor } from '@mailroom/testing';
import { metricValue, scrape } from './support/metric-scrape';

jest.setTimeout(180_000);

const COUNT = 100;
const BATCH_SIZE = 50;
const BATCHES = COUNT / BATCH_SIZE;
const MAX_ATTEMPTS = 2;

/**
 * The only SMTP provider is down: its port (held by the test, see UnreachablePort) resets every
 * connection at once, and its breaker opens. Retries back off quickly (200 ms doubling to 1 s):
 * under the old rule each recipient would have failed "retries exhausted" after its second failed
 * connection, within about a second.
 */
const senderEnv = {
  MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  RETRY_BASE_DELAY_MS: '200',
  RETRY_MAX_DELAY_MS: '1000',
  SMTP_BREAKER_FAILURE_THRESHOLD: '3',
  SMTP_BREAKER_COOLDOWN_MS: '1000',
};

const recipientsFor = (prefix: string) => Array.from({ length: COUNT }, (_, i) => `${prefix}${i}@example.org`);

async function submit(stack: MailroomStack, prefix: string): Promise<{ id: string; recipients: string[] }> {
  const recipients = recipientsFor(prefix);
  const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: prefix, text: 'Hello', recipients, batchSize: BATCH_SIZE } });
  expect(res.status).toBe(202);
  return { id: res.body.id, recipients };
}

describe('a provider outage longer than MAX_ATTEMPTS × backoff (real processes)', () => {
  let down: UnreachablePort;
  let sink: SmtpSink | undefined;
  let stack: MailroomStack;

  beforeAll(async () => {
    down = await UnreachablePort.open();
    stack = await MailroomStack.start({ smtpUrl: down.url, serviceEnv: { sender: senderEnv } });
  });

  afterAll(async () => {
    await stack?.stop();
    await down?.close();
    await sink?.close();
  });

  it('keeps the mail deferred through the outage, then delivers every recipient exactly once', async () => {
    const { id, recipients } = await submit(stack, 'outage');
    const metrics = async () => scrape(stack.senders[0]!.baseUrl);
    // Every batch redelivered more often than MAX_ATTEMPTS would have allowed, with SMTP refusals on the way.
    const retries = await waitFor(
      async () => metricValue(await metrics(), 'mailroom_sender_batches_total', 'result="retry"') ?? 0,
      (n) => n >= BATCHES * (MAX_ATTEMPTS + 2),
      { timeoutMs: 90_000, intervalMs: 250, description: 'the batches to be retried through the outage' },
    );
    const refused = metricValue(await metrics(), 'mailroom_sender_smtp_attempts_total', 'outcome="transient",provider="default"') ?? 0;
    expect(refused).toBeGreaterThan(MAX_ATTEMPTS);
    const during = (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`)).body;
    expect(during).toMatchObject({ status: 'sending', sent: 0, failed: 0 });

    // The provider comes back, on the same port.
    await down.close();
    sink = await SmtpSink.start({ port: down.port, keepMessages: false });
    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.pending === 0 && v.status !== 'sending', 90_000);
    process.stdout.write(`provider outage: ${retries} batch retries and ${refused} failed connections during the outage, then ${view.sent}/${COUNT} delivered\n`);

    expect(view).toMatchObject({ status: 'completed', total: COUNT, sent: COUNT, failed: 0 });
    expect(recipients.filter((r) => sink!.deliveriesTo.get(r) !== 1)).toEqual([]);
    expect(sink.duplicates).toBe(0);
  });
});

describe('deferred mail older than MAX_DEFERRAL_HOURS (real processes)', () => {
  let down: UnreachablePort;
  let stack: MailroomStack;

  beforeAll(async () => {
    // 0.001 h = 3.6 s: an operator would write 24 or 0.5; the same variable, decimals allowed.
    down = await UnreachablePort.open();
    stack = await MailroomStack.start({ smtpUrl: down.url, serviceEnv: { sender: { ...senderEnv, MAX_DEFERRAL_HOURS: '0.001' } } });
  });

  afterAll(async () => {
    await stack?.stop();
    await down?.close();
  });

  it('fails every recipient with the maximum-age reason once the provider stays down that long', async () => {
    const { id, recipients } = await submit(stack, 'aged');
    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.pending === 0 && v.status !== 'sending', 90_000);
    expect(view).toMatchObject({ total: COUNT, sent: 0, failed: COUNT });

    const failures = (await stack.request<{ items: FailureEntry[] }>('GET', `/v1/newsletters/${id}/failures?limit=1000`)).body.items;
    expect(failures.map((f) => f.email).sort()).toEqual([...recipients].sort());
    const reasons = new Set(failures.map((f) => f.reason.replace(/: .*/, '')));
    expect([...reasons]).toEqual(['deferred for more than 0.001 h']);
    // Retryable by an operator (retry-failed), unlike a 5xx.
    expect(failures.every((f) => !f.permanent)).toBe(true);
  });
});
