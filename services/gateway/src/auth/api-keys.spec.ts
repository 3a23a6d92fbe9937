import { matchApiKey, parseApiKeys } from './api-keys';

describe('API keys', () => {
  const keys = parseApiKeys('ops:ops-key-0123456789abcd, 0123456789abcdef-unnamed');

  it('names keys (explicitly, or by position)', () => {
    expect(keys.map((k) => k.name)).toEqual(['ops', 'key-2']);
  });

  it('keeps only digests, never the secret', () => {
    expect(JSON.stringify(keys)).not.toContain('ops-key-0123456789abcd');
  });

  it.each([
    ['ops-key-0123456789abcd', 'ops'],
    ['0123456789abcdef-unnamed', 'key-2'],
    ['ops-key-0123456789abcX', undefined],
    ['', undefined],
    ['ops:ops-key-0123456789abcd', undefined],
  ])('matches %j to %j', (presented, name) => {
    expect(matchApiKey(keys, presented)?.name).toBe(name);
  });

  it.each([
    ['', 'no key given'],
    ['short', 'key "key-1" is shorter than 16 characters'],
    ['a:0123456789abcdef,a:fedcba9876543210', 'key name "a" is used twice'],
  ])('refuses API_KEYS=%j', (raw, message) => {
    expect(() => parseApiKeys(raw)).toThrow(message);
  });
});
