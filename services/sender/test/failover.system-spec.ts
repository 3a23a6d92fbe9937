import { generateKeyPairSync } from 'node:crypto';
import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, UnreachablePort, waitFor } from '@mailroom/testing';
import { ledgerProviders } from './support/ledger-providers';
import { metricValue, scrape } from './support/metric-scrape';

jest.setTimeout(180_000);

const COOLDOWN_MS = 2_000;
const DKIM_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const COUNT = 300;

/**
 * Two providers: "a" (preferred) is down, its port (held by the test, see UnreachablePort) resets
 * every connection; "b" is a real SMTP server. Everything must go through b while a's breaker is
 * open; once a listens again it is probed after the cooldown and takes the traffic back.
 */
describe('provider failover (real processes, real SMTP servers)', () => {
  let downA: UnreachablePort;
  let sinkA: SmtpSink | undefined;
  let sinkB: SmtpSink;
  let stack: MailroomStack;

  beforeAll(async () => {
    downA = await UnreachablePort.open();
    sinkB = await SmtpSink.start({ keepMessages: true });
    const providers = [
      { name: 'a', url: downA.url, ratePerSecond: 200, priority: 0, breaker: { failureThreshold: 3, cooldownMs: COOLDOWN_MS } },
      { name: 'b', url: sinkB.url, ratePerSecond: 200, priority: 1 },
    ];
    stack = await MailroomStack.start({
      smtpUrl: sinkB.url,
      senders: 1,
      serviceEnv: {
        sender: {
          SMTP_PROVIDERS: JSON.stringify(providers),
          // The gateway's default sender is newsletter@mailroom.localhost: sign for its domain.
          DKIM_KEYS: JSON.stringify([{ domain: 'mailroom.localhost', selector: 'e2e', privateKey: DKIM_PEM }]),
          RETRY_BASE_DELAY_MS: '500',
          RETRY_MAX_DELAY_MS: '2000',
        },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await downA?.close();
    await sinkA?.close();
    await sinkB?.close();
  });

  const sender = () => stack.senders[0]!;
  const breakerOf = async (provider: string) => metricValue(await scrape(sender().baseUrl), 'mailroom_provider_breaker_state', `provider="${provider}"`);

  const send = async (prefix: string) => {
    const recipients = Array.from({ length: COUNT }, (_, i) => `${prefix}${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', { body: { subject: prefix, text: 'Hello', recipients, batchSize: 50 } });
    expect(res.status).toBe(202);
    return { id: res.body.id, recipients };
  };

  it('sends everything through b while a is down, and shows a’s breaker open', async () => {
    const { id, recipients } = await send('down');
    // The breaker opens after 3 failed connections and stays open for the cooldown.
    await waitFor(() => breakerOf('a'), (state) => state === 2, { timeoutMs: 20_000, intervalMs: 50, description: 'breaker of a to open' });
    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 60_000);

    expect(view).toMatchObject({ total: COUNT, sent: COUNT, failed: 0 });
    expect(recipients.every((r) => sinkB.deliveriesTo.get(r) === 1)).toBe(true);
    expect(await ledgerProviders(stack.namespace, id)).toEqual({ b: COUNT });
    const metrics = await scrape(sender().baseUrl);
    expect(metricValue(metrics, 'mailroom_sender_smtp_attempts_total', 'outcome="transient",provider="a"')).toBeGreaterThanOrEqual(3);
    expect(metricValue(metrics, 'mailroom_sender_smtp_attempts_total', 'outcome="accepted",provider="b"')).toBe(COUNT);
    expect(metricValue(metrics, 'mailroom_sender_smtp_attempts_total', 'outcome="accepted",provider="a"')).toBeUndefined();
    // Whichever provider carries it, the message is DKIM-signed (the signature itself is checked
    // byte for byte in libs/mailer's unit tests over the same composer).
    const raw = sinkB.messages[0]!.raw.toString('latin1');
    expect(raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=mailroom\.localhost;/);
    expect(raw).toMatch(/ s=e2e;/);
    process.stdout.write(`failover: ${COUNT}/${COUNT} through b while a was down, ${metricValue(metrics, 'mailroom_sender_smtp_attempts_total', 'outcome="transient",provider="a"')} failed attempt(s) at a\n`);
  });

  it('probes a after the cooldown once it listens again, and moves the traffic back to it', async () => {
    await downA.close();
    sinkA = await SmtpSink.start({ port: downA.port, keepMessages: false });
    // No traffic: the breaker goes half-open when the cooldown has passed, and waits for a probe.
    await waitFor(() => breakerOf('a'), (state) => state === 1, { timeoutMs: 20_000, intervalMs: 100, description: 'breaker of a to go half-open' });
    const beforeB = sinkB.acceptedTotal;
    const { id, recipients } = await send('back');
    const view = await stack.waitForNewsletter<NewsletterView>(id, (v) => v.status === 'completed', 60_000);

    expect(view).toMatchObject({ total: COUNT, sent: COUNT, failed: 0 });
    const viaA = recipients.filter((r) => sinkA!.deliveriesTo.get(r) === 1).length;
    const viaB = sinkB.acceptedTotal - beforeB;
    process.stdout.write(`failover: after a came back, ${viaA} through a, ${viaB} through b (while the probe was in flight)\n`);
    expect(viaA + viaB).toBe(COUNT);
    expect(recipients.every((r) => (sinkA!.deliveriesTo.get(r) ?? 0) + (sinkB.deliveriesTo.get(r) ?? 0) === 1)).toBe(true);
    // While the probe opens its connection (~100 ms greeting delay), b takes what comes: up to
    // its burst (40) plus 200/s. Everything after goes to a.
    expect(viaA).toBeGreaterThan(COUNT / 2);
    expect(await breakerOf('a')).toBe(0);
    const ledger = await ledgerProviders(stack.namespace, id);
    expect(ledger['a']).toBe(viaA);
    expect((ledger['a'] ?? 0) + (ledger['b'] ?? 0)).toBe(COUNT);
  });
});
