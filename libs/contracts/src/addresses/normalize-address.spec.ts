import { normalizeAddress } from './normalize-address';
import { mailboxKey } from './mailbox-key';

describe('normalizeAddress', () => {
  it.each([
    ['  Reader@Example.ORG ', 'Reader@example.org'],
    ['a.b+tag@sub.example.co.uk', 'a.b+tag@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['user@BÜCHER.example', 'user@xn--bcher-kva.example'],
    ['x@a-b.io', 'x@a-b.io'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(normalizeAddress(raw)).toEqual({ ok: true, email: expected });
  });

  it.each([
    ['', 'empty address'],
    ['   ', 'empty address'],
    ['no-at-sign.example.org', 'missing "@"'],
    ['@example.org', 'missing "@"'],
    ['user@', 'missing "@"'],
    ['user@localhost', 'domain has no top-level part'],
    ['user@-bad.org', 'invalid domain'],
    ['user@exa_mple.org', 'invalid domain'],
    ['user@1.2.3.4', 'invalid domain'],
    ['.user@example.org', 'invalid local part'],
    ['us..er@example.org', 'invalid local part'],
    ['Eve <eve@example.org>', 'must be a bare address (no spaces, display name or list)'],
    ['a@example.org, b@example.org', 'must be a bare address (no spaces, display name or list)'],
    ['a@example.org\r\nBcc: b@example.org', 'must be a bare address (no spaces, display name or list)'],
    [`${'x'.repeat(65)}@example.org`, 'local part longer than 64 characters'],
    [`a@${'x'.repeat(250)}.org`, 'longer than 254 characters'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(normalizeAddress(raw)).toEqual({ ok: false, reason });
  });

  it('refuses values that are not strings', () => {
    expect(normalizeAddress(42)).toEqual({ ok: false, reason: 'not a string' });
    expect(normalizeAddress(null)).toEqual({ ok: false, reason: 'not a string' });
  });

  it('keeps the case of the local part (the address is sent as written); duplicates are decided by mailboxKey, which ignores it', () => {
    const a = normalizeAddress('Ann@EXAMPLE.org');
    const b = normalizeAddress('ann@example.org');
    expect(a).toEqual({ ok: true, email: 'Ann@example.org' });
    expect(b).toEqual({ ok: true, email: 'ann@example.org' });
    expect(mailboxKey('Ann@example.org')).toBe(mailboxKey('ann@example.org'));
  });
});
