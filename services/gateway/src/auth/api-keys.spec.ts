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
