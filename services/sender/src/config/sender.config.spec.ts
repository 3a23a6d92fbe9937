import { generateKeyPairSync } from 'node:crypto';
import { ConfigValidationError } from '@mailroom/config';
import { loadSenderConfig } from './sender.config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadSenderConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
};

const providers = (list: unknown) => ({ SMTP_PROVIDERS: JSON.stringify(list) });

describe('loadSenderConfig: providers', () => {
  it('SMTP_URL alone is one provider "default" without a limit', () => {
    const config = loadSenderConfig({ SMTP_URL: 'smtp://user:pw@relay.example:587' });
    expect(config.providers).toEqual([
      {
        name: 'default',
        url: 'smtp://user:pw@relay.example:587',
        maskedUrl: 'smtp://user:***@relay.example:587',
        priority: 0,
        pool: { maxConnections: 5, maxMessages: 1000, connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 60_000, dataTimeoutMs: 600_000 },
        breaker: { failureThreshold: 5, cooldownMs: 30_000 },
      },
    ]);
    expect(config.concurrency).toBe(4);
  });

  it('SMTP_URL with SMTP_RATE_PER_SECOND is limited, with the default burst', () => {
    const config = loadSenderConfig({ SMTP_URL: 'smtp://h:25', SMTP_RATE_PER_SECOND: '50', SMTP_MAX_CONNECTIONS: '8' });
    expect(config.providers[0]).toMatchObject({ name: 'default', ratePerSecond: 50, burst: 10, pool: { maxConnections: 8 } });
  });

  it('accepts a decimal rate and an explicit burst', () => {
    const config = loadSenderConfig({ SMTP_URL: 'smtp://h:25', SMTP_RATE_PER_SECOND: '14.5', SMTP_BURST: '20' });
    expect(config.providers[0]).toMatchObject({ ratePerSecond: 14.5, burst: 20 });
  });

  it('SMTP_PROVIDERS supersedes SMTP_URL, with per-provider pool, timeouts and breaker over the SMTP_* defaults', () => {
    const config = loadSenderConfig({
      SMTP_URL: 'smtp://ignored:25',
      SMTP_SOCKET_TIMEOUT_MS: '30000',
      SMTP_DATA_TIMEOUT_MS: '300000',
      SMTP_BREAKER_COOLDOWN_MS: '5000',
      ...providers([
        { name: 'ses', url: 'smtps://AKIA:secret@email-smtp.eu-west-1.amazonaws.com:465', ratePerSecond: 14, maxConnections: 10, timeouts: { connectionMs: 2000, dataMs: 120_000 } },
        { name: 'relay', url: 'smtp://relay.internal:25', ratePerSecond: 200, burst: 100, priority: 1, breaker: { failureThreshold: 3, cooldownMs: 1000 } },
      ]),
    });
    expect(config.providers).toEqual([
      {
        name: 'ses',
        url: 'smtps://AKIA:secret@email-smtp.eu-west-1.amazonaws.com:465',
        maskedUrl: 'smtps://AKIA:***@email-smtp.eu-west-1.amazonaws.com:465',
        ratePerSecond: 14,
        burst: 3,
        priority: 0,
        pool: { maxConnections: 10, maxMessages: 1000, connectionTimeoutMs: 2000, greetingTimeoutMs: 10_000, socketTimeoutMs: 30_000, dataTimeoutMs: 120_000 },
        breaker: { failureThreshold: 5, cooldownMs: 5000 },
      },
      expect.objectContaining({
        name: 'relay',
        ratePerSecond: 200,
        burst: 100,
        priority: 1,
        pool: expect.objectContaining({ socketTimeoutMs: 30_000, dataTimeoutMs: 300_000 }),
        breaker: { failureThreshold: 3, cooldownMs: 1000 },
      }),
    ]);
    expect(config.notices).toContain('SMTP_URL, SMTP_RATE_PER_SECOND and SMTP_BURST are ignored: SMTP_PROVIDERS is set');
  });

  it.each([
    ['a bad url', [{ name: 'a', url: 'http://x', ratePerSecond: 1 }], 'SMTP_PROVIDERS[0].url: must be an smtp:// or smtps:// URL'],
    ['a missing rate', [{ name: 'a', url: 'smtp://x:25' }], 'SMTP_PROVIDERS[0].ratePerSecond: is required: emails per second, a number above 0'],
    ['a zero rate', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: 0 }], 'SMTP_PROVIDERS[0].ratePerSecond: must be above 0'],
    ['a rate as a string', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: '5' }], 'SMTP_PROVIDERS[0].ratePerSecond: is required: emails per second, a number above 0'],
    ['a bad name', [{ name: 'SES prod', url: 'smtp://x:25', ratePerSecond: 1 }], 'SMTP_PROVIDERS[0].name: must be 1-32 characters of a-z, 0-9, "-" or "_", starting with a letter or digit'],
    ['an unknown field', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: 1, ratePerSec: 2 }], 'SMTP_PROVIDERS[0].ratePerSec: is not a known field'],
    ['a nested bad timeout', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: 1, timeouts: { socketMs: 5 } }], 'SMTP_PROVIDERS[0].timeouts.socketMs: must be a whole number of at least 100'],
    ['a bad DATA timeout', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: 1, timeouts: { dataMs: 1.5 } }], 'SMTP_PROVIDERS[0].timeouts.dataMs: must be a whole number of at least 100'],
    ['too many connections', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: 1, maxConnections: 500 }], 'SMTP_PROVIDERS[0].maxConnections: must be at most 100'],
    ['a burst too small to share', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: 50, burst: 2 }], 'SMTP_PROVIDERS[0].burst: burst 2 is too small to share 50/s between replicas: use a burst of at least 3'],
    ['a duplicate name', [{ name: 'a', url: 'smtp://x:25', ratePerSecond: 1 }, { name: 'a', url: 'smtp://y:25', ratePerSecond: 1 }], 'SMTP_PROVIDERS[1].name: "a" is used twice'],
    ['not an object', ['smtp://x:25'], 'SMTP_PROVIDERS[0]: must be an object like {"name", "url", "ratePerSecond"}'],
    ['an empty list', [], 'SMTP_PROVIDERS: must be a non-empty JSON list of providers'],
  ])('names the bad field: %s', (_label, list, problem) => {
    expect(problemsOf(providers(list))).toContain(problem);
  });

  it('names the entry by its index in the list', () => {
    const problems = problemsOf(providers([{ name: 'a', url: 'smtp://x:25', ratePerSecond: 1 }, { name: 'b', url: 'ftp://y', ratePerSecond: 1 }]));
    expect(problems).toEqual(['SMTP_PROVIDERS[1].url: must be an smtp:// or smtps:// URL']);
  });

  it('never echoes credentials, even from JSON that does not parse', () => {
    const broken = '[{"name":"a","url":"smtp://user:hunter2-secret@h:25", ratePerSecond: 1}]';
    const problems = problemsOf({ SMTP_PROVIDERS: broken });
    expect(problems).toEqual(['SMTP_PROVIDERS: is not valid JSON (expected a list of {"name", "url", "ratePerSecond", …})']);
    const invalid = problemsOf(providers([{ name: 'a', url: 'smtp://user:hunter2-secret@h:25 x', ratePerSecond: 1 }]));
    expect(invalid.join('\n')).not.toContain('hunter2');
  });

  it('requires SMTP_URL or SMTP_PROVIDERS', () => {
    expect(problemsOf({})).toEqual(['SMTP_URL: is required unless SMTP_PROVIDERS is set, e.g. smtp://user:pass@host:587']);
  });

  it('lists bad variables and bad provider fields together', () => {
    const problems = problemsOf({ SENDER_CONCURRENCY: 'many', ...providers([{ name: 'a', url: 'x', ratePerSecond: 1 }]) });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^SENDER_CONCURRENCY: /), 'SMTP_PROVIDERS[0].url: must be an smtp:// or smtps:// URL']));
  });

  it('checks SMTP_BURST against the rate', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://h:25', SMTP_RATE_PER_SECOND: '100', SMTP_BURST: '5' })).toEqual([
      'SMTP_BURST: burst 5 is too small to share 100/s between replicas: use a burst of at least 7',
    ]);
  });
});

describe('loadSenderConfig: concurrency from rate × ack wait', () => {
  it.each([
    // rate, ack wait, SENDER_CONCURRENCY → batches held
    [undefined, 60_000, 4, 4],
    [50, 60_000, 4, 4], // 3,000 sendable per ack wait: 30 batches of 100
    [5, 60_000, 4, 3], // 300 per ack wait
    [1, 60_000, 4, 1], // 60: not even one batch; working() covers the rest
    [1, 10_000, 8, 1],
  ])('rate %p, ACK_WAIT_MS %p, SENDER_CONCURRENCY %p → %p', (rate, ackWaitMs, configured, expected) => {
    const config = loadSenderConfig({
      SMTP_URL: 'smtp://h:25',
      ...(rate !== undefined ? { SMTP_RATE_PER_SECOND: String(rate) } : {}),
      ACK_WAIT_MS: String(ackWaitMs),
      SENDER_CONCURRENCY: String(configured),
    });
    expect(config.concurrency).toBe(expected);
    expect(config.notices.some((n) => n.startsWith('SENDER_CONCURRENCY'))).toBe(expected < configured);
  });

  it('uses the slowest provider: failover may leave all traffic on it', () => {
    const config = loadSenderConfig(
      providers([
        { name: 'fast', url: 'smtp://a:25', ratePerSecond: 1000 },
        { name: 'slow', url: 'smtp://b:25', ratePerSecond: 2, priority: 1 },
      ]),
    );
    expect(config.concurrency).toBe(1);
  });
});

describe('loadSenderConfig: deferral age and the batch max_deliver', () => {
  it('defaults to 24 h and a max_deliver from attempts, age and backoff', () => {
    const config = loadSenderConfig({ SMTP_URL: 'smtp://h:25' });
    expect(config.maxDeferralMs).toBe(86_400_000);
    // 5 attempts + 7 deliveries while 10 s doubles to 600 s + 24 h ÷ 300 s + 10 hand-backs.
    expect(config.retry.sender).toEqual({ maxDeliver: 5 + 7 + 288 + 10, baseDelayMs: 10_000, maxDelayMs: 600_000 });
  });

  it.each([
    ['0.5', 1_800_000],
    ['168', 604_800_000],
    ['0.001', 3_600],
  ])('MAX_DEFERRAL_HOURS=%s (decimals allowed) → %p ms', (hours, ms) => {
    expect(loadSenderConfig({ SMTP_URL: 'smtp://h:25', MAX_DEFERRAL_HOURS: hours }).maxDeferralMs).toBe(ms);
  });

  it.each(['0', '-1', '169', 'a day', '1e3'])('refuses MAX_DEFERRAL_HOURS=%s, naming the field', (hours) => {
    expect(problemsOf({ SMTP_URL: 'smtp://h:25', MAX_DEFERRAL_HOURS: hours })).toEqual([
      'MAX_DEFERRAL_HOURS: must be a number of hours above 0 and at most 168, e.g. 24 or 0.5',
    ]);
  });

  it('refuses a DATA timeout below 100 ms', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://h:25', SMTP_DATA_TIMEOUT_MS: '50' })).toEqual([expect.stringMatching(/^SMTP_DATA_TIMEOUT_MS: /)]);
  });
});

describe('loadSenderConfig: DKIM_KEYS', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('loads inline keys, and nothing when unset', () => {
    expect(loadSenderConfig({ SMTP_URL: 'smtp://h:25' }).dkim).toEqual([]);
    const config = loadSenderConfig({ SMTP_URL: 'smtp://h:25', DKIM_KEYS: JSON.stringify([{ domain: 'acme.example', selector: 'mr1', privateKey: pem }]) });
    expect(config.dkim.map((k) => k.toJSON())).toEqual([{ domain: 'acme.example', selector: 'mr1' }]);
  });

  it.each([
    ['no key', [{ domain: 'acme.example', selector: 's' }], 'DKIM_KEYS[0]: set exactly one of privateKeyFile (a path) or privateKey (the PEM)'],
    ['a bad domain', [{ domain: 'acme', selector: 's', privateKey: 'x' }], 'DKIM_KEYS[0].domain: must be a domain name such as news.example.com'],
    ['a missing file', [{ domain: 'acme.example', selector: 's', privateKeyFile: '/nonexistent/dkim.pem' }], 'DKIM_KEYS[0].privateKeyFile: cannot read /nonexistent/dkim.pem (ENOENT)'],
    ['a broken key', [{ domain: 'acme.example', selector: 's', privateKey: 'SECRET-MATERIAL' }], 'DKIM_KEYS[0].privateKey: is not a readable unencrypted PEM private key'],
    ['an unknown field', [{ domain: 'acme.example', selector: 's', privateKey: 'x', algo: 'rsa' }], 'DKIM_KEYS[0].algo: is not a known field'],
  ])('names the bad field: %s', (_label, list, problem) => {
    const problems = problemsOf({ SMTP_URL: 'smtp://h:25', DKIM_KEYS: JSON.stringify(list) });
    expect(problems).toEqual([problem]);
    expect(problems.join('\n')).not.toContain('SECRET-MATERIAL');
  });
});
