import { FromAllowList } from './from-allow-list';

describe('FromAllowList', () => {
  const list = FromAllowList.parse('news@acme.example, @mail.acme.example ,Billing@Other.example');

  it.each([
    ['news@acme.example', true],
    ['NEWS@ACME.EXAMPLE', true],
    ['billing@other.example', true],
    ['anyone@mail.acme.example', true],
    ['other@acme.example', false],
    ['news@sub.mail.acme.example', false],
    ['news@acme.example.evil.org', false],
    ['mail.acme.example@evil.org', false],
  ])('%s → %s', (address, allowed) => {
    expect(list.allows(address)).toBe(allowed);
  });

  it.each([
    ['', 'no address or domain given'],
    ['news', '"news" is not an address or @domain'],
    ['@', '"@" is not an address or @domain'],
    ['@acme', '"@acme" is not an address or @domain'],
    ['Acme <news@acme.example>', 'is not an address or @domain'],
  ])('refuses %j', (raw, message) => {
    expect(() => FromAllowList.parse(raw)).toThrow(message);
  });
});
