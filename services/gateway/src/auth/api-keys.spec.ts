import { matchApiKey, parseApiKeys, sha256 } from './api-keys';

describe('API keys', () => {
  const hashedSecret = 'partner-secret-0123456789';
  const keys = parseApiKeys(
    `ops:ops-key-0123456789abcd, 0123456789abcdef-unnamed, partner:sha256:${sha256(hashedSecret).toString('hex')}, old:old-key-0123456789abcd`,
    'old',
  );

  it('names keys (explicitly, or by position)', () => {
    expect(keys.map((k) => k.name)).toEqual(['ops', 'key-2', 'partner', 'old']);
  });

  it('keeps only digests, never the secret', () => {
    expect(JSON.stringify(keys)).not.toContain('ops-key-0123456789abcd');
  });

  it('marks revoked keys (they still match, so the caller can be told why)', () => {
    expect(keys.filter((k) => k.revoked).map((k) => k.name)).toEqual(['old']);
  });

  it.each([
    ['ops-key-0123456789abcd', 'ops'],
    ['0123456789abcdef-unnamed', 'key-2'],
    [hashedSecret, 'partner'],
    ['old-key-0123456789abcd', 'old'],
    ['ops-key-0123456789abcX', undefined],
    ['', undefined],
    ['ops:ops-key-0123456789abcd', undefined],
    // The configured digest itself is not a key: whoever reads the configuration cannot use it.
    [`sha256:${sha256(hashedSecret).toString('hex')}`, undefined],
    [sha256(hashedSecret).toString('hex'), undefined],
  ])('matches %j to %j', (presented, name) => {
    expect(matchApiKey(keys, presented)?.name).toBe(name);
  });

  it('accepts upper-case hex in a hashed entry', () => {
    const [key] = parseApiKeys(`p:sha256:${sha256(hashedSecret).toString('hex').toUpperCase()}`);
    expect(matchApiKey([key!], hashedSecret)?.name).toBe('p');
  });

  it.each([
    ['', '', 'no key given'],
    ['short', '', 'key "key-1" is shorter than 16 characters'],
    ['a:0123456789abcdef,a:fedcba9876543210', '', 'key name "a" is used twice'],
    [`sha256:${'ab'.repeat(32)}`, '', 'a hashed key needs a name'],
    ['p:sha256:abc', '', 'key "p": a hashed key is "sha256:" and 64 hex digits'],
    ['bad name:0123456789abcdef', '', 'entry 1: a key name is 1-64 characters'],
    ['a:0123456789abcdef', 'b', 'API_KEYS_REVOKED names "b", which API_KEYS does not have'],
  ])('refuses API_KEYS=%j API_KEYS_REVOKED=%j', (raw, revoked, message) => {
    expect(() => parseApiKeys(raw, revoked)).toThrow(message);
  });

  describe('tenants and scopes', () => {
    const scoped = parseApiKeys(
      [
        'solo:solo-key-0123456789ab',
        'billing/ops@read+send+admin:ops2-key-0123456789ab',
        'billing/bot@read:bot-key-0123456789abcd',
        `reports@admin:sha256:${sha256(hashedSecret).toString('hex')}`,
        'bare-secret-0123456789',
      ].join(','),
    );
    const byName = new Map(scoped.map((k) => [k.name, k]));

    it.each([
      ['solo', 'solo', ['read', 'send']],
      ['ops', 'billing', ['admin', 'read', 'send']],
      ['bot', 'billing', ['read']],
      ['reports', 'reports', ['admin']],
      ['key-5', 'default', ['read', 'send']],
    ])('key %j: tenant %j, scopes %j', (name, tenant, scopes) => {
      const key = byName.get(name)!;
      expect(key.tenant).toBe(tenant);
      expect([...key.scopes].sort()).toEqual(scopes);
    });

    it('keeps the old formats working (name = tenant, send+read)', () => {
      expect(keys.map((k) => [k.name, k.tenant, [...k.scopes].sort().join('+')])).toEqual([
        ['ops', 'ops', 'read+send'],
        ['key-2', 'default', 'read+send'],
        ['partner', 'partner', 'read+send'],
        ['old', 'old', 'read+send'],
      ]);
    });

    it('matches a scoped, tenanted key by its secret alone', () => {
      expect(matchApiKey(scoped, 'ops2-key-0123456789ab')?.name).toBe('ops');
      expect(matchApiKey(scoped, hashedSecret)?.name).toBe('reports');
    });

    it.each([
      ['a/b/c:0123456789abcdef', 'entry 1: a key name is'],
      ['/b:0123456789abcdef', 'entry 1: a tenant'],
      ['a..b/c:0123456789abcdef', 'entry 1: a tenant'],
      ['a@write:0123456789abcdef', 'entry 1: scopes are send, read, admin'],
      ['a@:0123456789abcdef', 'entry 1: scopes are'],
      ['t/a:0123456789abcdef,u/a:fedcba9876543210', 'key name "a" is used twice'],
    ])('refuses %j', (raw, message) => {
      expect(() => parseApiKeys(raw)).toThrow(message);
    });
  });

  it('never echoes a secret in its errors', () => {
    const secretWithColon = 'not a name:0123';
    expect(() => parseApiKeys(secretWithColon)).toThrow(/^entry 1:/);
    try {
      parseApiKeys(secretWithColon);
    } catch (error) {
      expect((error as Error).message).not.toContain('not a name');
    }
  });
});
