import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { deleteNamespace, freePort, repoRoot, ServiceProcess, TEST_NATS_URL, uniqueNamespace } from '@mailroom/testing';
import { metricValue, scrape } from './support/metric-scrape';

jest.setTimeout(60_000);

const PASSWORD = 'hunter2-not-for-logs';
const main = () => join(repoRoot(), 'dist', 'services', 'sender', 'main.js');

/** Boots the built sender with `env` and returns its exit and output (it exits at once on a bad config). */
function bootOnly(env: Record<string, string>) {
  const run = spawnSync(process.execPath, [main()], { env: { PATH: process.env['PATH'] ?? '', NATS_URL: TEST_NATS_URL, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('sender configuration at boot (the built process)', () => {
  it('stops with one line per problem, naming the field, and never prints a credential', () => {
    const providers = [
      { name: 'ses', url: `smtps://AKIA:${PASSWORD}@email-smtp.eu-west-1.amazonaws.com:465`, ratePerSecond: 14 },
      { name: 'relay', url: `http://user:${PASSWORD}@relay.internal`, ratePerSecond: 50, burst: 2 },
    ];
    const { status, output } = bootOnly({ SMTP_PROVIDERS: JSON.stringify(providers), SENDER_CONCURRENCY: 'lots' });
    expect(status).toBe(1);
    expect(output).toContain('SMTP_PROVIDERS[1].url: must be an smtp:// or smtps:// URL');
    expect(output).toMatch(/SENDER_CONCURRENCY: .*must be a whole number/);
    expect(output).not.toContain(PASSWORD);
  });

  it('names a bad burst with the smallest one that works', () => {
    const { status, output } = bootOnly({ SMTP_PROVIDERS: JSON.stringify([{ name: 'a', url: 'smtp://h:25', ratePerSecond: 50, burst: 2 }]) });
    expect(status).toBe(1);
    expect(output).toContain('SMTP_PROVIDERS[0].burst: burst 2 is too small to share 50/s between replicas: use a burst of at least 3');
  });

  it('refuses an unreadable DKIM key without printing it', () => {
    const { status, output } = bootOnly({
      SMTP_URL: 'smtp://h:25',
      DKIM_KEYS: JSON.stringify([{ domain: 'acme.example', selector: 'mr1', privateKey: `-----BEGIN PRIVATE KEY-----\n${PASSWORD}\n-----END PRIVATE KEY-----` }]),
    });
    expect(status).toBe(1);
    expect(output).toContain('DKIM_KEYS[0].privateKey: is not a readable unencrypted PEM private key');
    expect(output).not.toContain(PASSWORD);
  });

  it('boots with providers and a DKIM key, logs them masked, and exports each provider’s gauges', async () => {
    const namespace = uniqueNamespace('cfg');
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const port = await freePort();
    const providers = [
      { name: 'main', url: `smtp://mailer:${PASSWORD}@127.0.0.1:${port}`, ratePerSecond: 14 },
      { name: 'backup', url: 'smtp://127.0.0.1:1', ratePerSecond: 200, priority: 1 },
    ];
    const sender = await ServiceProcess.start('sender', {
      env: {
        NATS_URL: TEST_NATS_URL,
        MAILROOM_NAMESPACE: namespace,
        SMTP_PROVIDERS: JSON.stringify(providers),
        DKIM_KEYS: JSON.stringify([{ domain: 'acme.example', selector: 'mr1', privateKey: pem }]),
      },
    });
    try {
      const metrics = await scrape(sender.baseUrl);
      expect(metricValue(metrics, 'mailroom_provider_configured_rate_per_second', 'provider="main"')).toBe(14);
      expect(metricValue(metrics, 'mailroom_provider_configured_rate_per_second', 'provider="backup"')).toBe(200);
      expect(metricValue(metrics, 'mailroom_provider_effective_rate_per_second', 'provider="main"')).toBe(14);
      expect(metricValue(metrics, 'mailroom_provider_breaker_state', 'provider="backup"')).toBe(0);
      const log = sender.output.join('\n');
      expect(log).toContain(`smtp://mailer:***@127.0.0.1:${port}`);
      expect(log).toContain('mr1._domainkey.acme.example');
      // 14/s × 60 s ack wait = 840 emails: 8 batches of 100, so SENDER_CONCURRENCY 4 stands.
      expect(log).not.toContain('SENDER_CONCURRENCY 4 capped');
      expect(log).not.toContain(PASSWORD);
      expect(log).not.toContain('PRIVATE KEY');
    } finally {
      await sender.stop();
      await deleteNamespace(namespace);
    }
    expect(sender.output.join('\n')).not.toContain(PASSWORD);
  });
});
