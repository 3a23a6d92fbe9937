import { parseFromAddress } from './from-address';

describe('parseFromAddress', () => {
  it.each([
    ['news@example.org', 'news@example.org'],
    ['News <news@Example.ORG>', '"News" <news@example.org>'],
    ['"Acme, Inc." <news@example.org>', '"Acme, Inc." <news@example.org>'],
    ['<news@example.org>', 'news@example.org'],
    ['Tab\tName <news@example.org>', '"Tab\tName" <news@example.org>'],
  ])('accepts %j', (raw, value) => {
    expect(parseFromAddress(raw)).toEqual({ ok: true, value, address: value.replace(/^.*<|>$/g, '') });
  });

  it.each([
    'news@example.org\r\nBcc: victim@example.org',
    'News\n <news@example.org>',
    'News\u2028 <news@example.org>',
    'News\x1b <news@example.org>',
    'Eve <a@example.org>, Bob <b@example.org>',
    '"ceo@bank.example" <eve@example.org>',
    '"<ceo@bank.example>" <eve@example.org>',
    'not an address',
    'Eve <a@example.org',
  ])('refuses %j', (raw) => {
    expect(parseFromAddress(raw).ok).toBe(false);
  });
});
