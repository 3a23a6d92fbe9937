import { ConfigValidationError } from '@mailroom/config';
import { loadGatewayConfig } from './gateway.config';

const KEY = 'ops-key-0123456789abcdef';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadGatewayConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
};

describe('gateway configuration', () => {
  it('has defaults for everything but API_KEYS', () => {
    const config = loadGatewayConfig({ API_KEYS: `ops:${KEY}` });
    expect(config).toMatchObject({
      grpcPort: 50051,
      rateLimit: { perMinute: 600, burst: 60 },
      webhooks: { allowPrivate: false },
      watch: { pollIntervalMs: 500, maxStreams: 1000, maxPerKey: 50, maxAgeMs: 3_600_000 },
      edge: expect.objectContaining({ headersTimeoutMs: 10_000, jsonMaxDepth: 32 }),
    });
    expect(config.webhooks.allowedHosts.size).toBe(0);
  });

  it('allows only DEFAULT_FROM when ALLOWED_FROM is unset', () => {
    const { allowedFrom } = loadGatewayConfig({ API_KEYS: `ops:${KEY}`, DEFAULT_FROM: 'News <news@acme.example>' });
    expect(allowedFrom.allows('news@acme.example')).toBe(true);
    expect(allowedFrom.allows('other@acme.example')).toBe(false);
  });

  it.each([
    [{ DEFAULT_FROM: 'news@acme.example', ALLOWED_FROM: '@other.example' }, 'DEFAULT_FROM: news@acme.example is not in ALLOWED_FROM (@other.example)'],
    [{ ALLOWED_FROM: 'not-an-address' }, 'ALLOWED_FROM: "not-an-address" is not an address or @domain'],
    [{ API_KEYS_REVOKED: 'nobody' }, 'API_KEYS: API_KEYS_REVOKED names "nobody", which API_KEYS does not have'],
    [{ WEBHOOK_ALLOW_PRIVATE: 'maybe' }, 'WEBHOOK_ALLOW_PRIVATE: must be true or false'],
    [{ GRPC_PORT: '70000' }, 'GRPC_PORT'],
    [{ RATE_LIMIT_BURST: '0' }, 'RATE_LIMIT_BURST'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf({ API_KEYS: `ops:${KEY}`, ...env }).join('\n')).toContain(problem);
  });

  it('lists every problem at once and never echoes a key', () => {
    const problems = problemsOf({ API_KEYS: 'tooshort-secret', ALLOWED_FROM: '@', DEFAULT_FROM: 'x' }).join('\n');
    for (const variable of ['API_KEYS', 'ALLOWED_FROM', 'DEFAULT_FROM']) expect(problems).toContain(variable);
    expect(problems).not.toContain('tooshort-secret');
  });

  it('checks unsubscribe links with the development secret when UNSUBSCRIBE_SECRET is unset outside production', () => {
    expect(loadGatewayConfig({ API_KEYS: `ops:${KEY}` }).unsubscribe.developmentSecret).toBe(true);
    const config = loadGatewayConfig({ API_KEYS: `ops:${KEY}`, UNSUBSCRIBE_SECRET: 'u'.repeat(40), NODE_ENV: 'production' });
    expect(config.unsubscribe.developmentSecret).toBe(false);
  });

  it('refuses to start in production without UNSUBSCRIBE_SECRET, or with a short one (never echoing it)', () => {
    expect(problemsOf({ API_KEYS: `ops:${KEY}`, NODE_ENV: 'production' }).join('\n')).toContain('UNSUBSCRIBE_SECRET: is required in production');
    const problems = problemsOf({ API_KEYS: `ops:${KEY}`, UNSUBSCRIBE_SECRET: 'short-unsub-secret' }).join('\n');
    expect(problems).toContain('UNSUBSCRIBE_SECRET: must be at least 32 characters');
    expect(problems).not.toContain('short-unsub-secret');
  });

  it('normalises webhook hosts (case, IPv6 brackets)', () => {
    const { webhooks } = loadGatewayConfig({ API_KEYS: `ops:${KEY}`, WEBHOOK_ALLOWED_HOSTS: 'Hooks.Internal, [fd00::5]' });
    expect([...webhooks.allowedHosts]).toEqual(['hooks.internal', 'fd00::5']);
  });

  it('knows the default machine user agents unless MACHINE_OPEN_USER_AGENTS says otherwise; set empty or `none`, none', () => {
    const scanner = 'Barracuda Sentinel (EE)';
    expect(loadGatewayConfig({ API_KEYS: `ops:${KEY}` }).tracking.machineOpenUserAgents.has(scanner)).toBe(true);
    const own = loadGatewayConfig({ API_KEYS: `ops:${KEY}`, MACHINE_OPEN_USER_AGENTS: 'LinkChecker/' }).tracking.machineOpenUserAgents;
    expect([own.has('linkchecker/2.1'), own.has(scanner)]).toEqual([true, false]);
    for (const off of ['', ' ', 'none']) {
      expect(loadGatewayConfig({ API_KEYS: `ops:${KEY}`, MACHINE_OPEN_USER_AGENTS: off }).tracking.machineOpenUserAgents.size).toBe(0);
    }
  });

  it('takes PUBLIC_BASE_URL (optional) as the sender writes links with it, and names what is wrong with it', () => {
    expect(loadGatewayConfig({ API_KEYS: `ops:${KEY}` }).view.publicBaseUrl).toBeUndefined();
    expect(loadGatewayConfig({ API_KEYS: `ops:${KEY}`, PUBLIC_BASE_URL: 'https://Mail.Acme.Example/mailroom/' }).view.publicBaseUrl).toBe('https://mail.acme.example/mailroom');
    expect(problemsOf({ API_KEYS: `ops:${KEY}`, PUBLIC_BASE_URL: 'mail.acme.example' })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: must be an absolute URL/)]);
    expect(problemsOf({ API_KEYS: `ops:${KEY}`, PUBLIC_BASE_URL: 'https://mail.acme.example/?x=1' })).toEqual(['PUBLIC_BASE_URL: must not have a query or a fragment']);
    expect(problemsOf({ API_KEYS: `ops:${KEY}`, PUBLIC_BASE_URL: 'ftp://mail.acme.example' })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: must be an https:\/\/ URL/)]);
  });
});
