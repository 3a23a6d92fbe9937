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

describe('address-like display names, as a mail client shows them', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  it.each([
    [`"=?utf-8?B?${b64('ceo@bank.example')}?=" <news@acme.example>`],
    ['"=?utf-8?Q?ceo=40bank.example?=" <news@acme.example>'],
    ['"=?iso-8859-1?q?ceo=40bank.example?=" <news@acme.example>'],
    ['"ceo＠bank.example" <news@acme.example>'],
    ['"ceo﹫bank.example" <news@acme.example>'],
    [`"=?utf-8?B?${b64('ceo＠bank.example')}?=" <news@acme.example>`],
  ])('refuses %s', (raw) => {
    expect(parseFromAddress(raw)).toEqual({ ok: false, reason: 'must not have an address-like display name' });
  });

  it('accepts an encoded name that is not an address', () => {
    expect(parseFromAddress(`"=?utf-8?B?${b64('Acme Nöws')}?=" <news@acme.example>`).ok).toBe(true);
  });
});
