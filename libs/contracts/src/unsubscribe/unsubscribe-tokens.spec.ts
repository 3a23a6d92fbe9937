import { inspect } from 'node:util';
import { DEVELOPMENT_UNSUBSCRIBE_SECRET, resolveUnsubscribeSecret } from './unsubscribe-secret';
import { UnsubscribeTokens } from './unsubscribe-tokens';

const SECRET = 'test-unsubscribe-secret-0123456789abcdef';
const claim = { newsletterId: '7f0c2a4e-1b2c-4d5e-8f90-0123456789ab', email: 'ann@example.org' };

/** Flips one bit of the token's bytes at `index` (negative: from the end). */
function flipBit(token: string, index: number): string {
  const bytes = Buffer.from(token, 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('UnsubscribeTokens', () => {
  const tokens = new UnsubscribeTokens(SECRET);

  it('makes exactly the tokens it made before (links in emails already sent keep working)', () => {
    const fixed = new UnsubscribeTokens('k'.repeat(32));
    const claim = { newsletterId: '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b', email: 'Reader@Example.org' };
    // Made by the implementation before SealedTokens was taken out of it.
    const before = 'Af2U9J4dxEjPXGS6aXekQ0yxKIrfYWIOWA7xky7YA8WFtho4xX9xkrbaxrU5V4Fq9-nmVSgEHMtcE0OO6rUaoJOiGvL_wnbCCuUAVxVViU3pNkgLMuhQuf7xk8It0ad-NwqSgZcQL-0';
    expect(fixed.sign(claim)).toBe(before);
    expect(fixed.verify(before)).toEqual({ ok: true, claim });
  });

  it('verifies what it signed and gives back the claim', () => {
    expect(tokens.verify(tokens.sign(claim))).toEqual({ ok: true, claim });
  });

  it('keeps non-ASCII addresses intact', () => {
    const unicode = { ...claim, email: 'zoë@exämple.org' };
    expect(tokens.verify(tokens.sign(unicode))).toEqual({ ok: true, claim: unicode });
  });

  it('gives one recipient of one newsletter the same token every time, and others different ones', () => {
    const token = tokens.sign(claim);
    expect(tokens.sign(claim)).toBe(token);
    expect(tokens.sign({ ...claim, email: 'bob@example.org' })).not.toBe(token);
    expect(tokens.sign({ ...claim, newsletterId: '00000000-0000-4000-8000-000000000000' })).not.toBe(token);
  });

  it('is URL-safe and does not show the address or the newsletter id', () => {
    const token = tokens.sign(claim);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    expect(decoded).not.toContain('ann@example.org');
    expect(decoded).not.toContain('example.org');
    expect(decoded).not.toContain(claim.newsletterId);
  });

  it.each([
    ['the version byte', 0],
    ['the IV', 5],
    ['the encrypted claim', 20],
    ['the signature', -1],
  ])('refuses a token altered in %s', (_where, index) => {
    const altered = flipBit(tokens.sign(claim), index);
    expect(tokens.verify(altered).ok).toBe(false);
  });

  it('refuses a token signed with another secret as forged', () => {
    const other = new UnsubscribeTokens('another-secret-of-sufficient-length-42');
    expect(tokens.verify(other.sign(claim))).toEqual({ ok: false, reason: 'forged' });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['too short', Buffer.alloc(20, 1).toString('base64url')],
    ['far too long', 'A'.repeat(5000)],
    ['cut short', 'AQ'],
  ])('refuses a token that is %s as malformed', (_what, token) => {
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a token cut at the end', () => {
    const token = tokens.sign(claim);
    expect(tokens.verify(token.slice(0, -4)).ok).toBe(false);
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => new UnsubscribeTokens('short')).toThrow(/at least 32 characters/);
  });

  it('shows no key material when logged or serialised', () => {
    expect(JSON.stringify({ tokens })).toBe('{"tokens":"UnsubscribeTokens"}');
    expect(inspect(tokens, { showHidden: true, depth: 5 })).not.toContain(SECRET);
  });
});

describe('resolveUnsubscribeSecret', () => {
  it('uses the development secret when unset outside production', () => {
    const resolved = resolveUnsubscribeSecret('', { requiredWhen: null });
    expect(resolved).toMatchObject({ ok: true, development: true });
  });

  it('refuses to run without a secret in production, or with the development one', () => {
    expect(resolveUnsubscribeSecret('', { requiredWhen: 'in production' })).toMatchObject({ ok: false, problem: expect.stringContaining('required in production') });
    expect(resolveUnsubscribeSecret(DEVELOPMENT_UNSUBSCRIBE_SECRET, { requiredWhen: 'in production' })).toMatchObject({ ok: false });
  });

  it('refuses a short secret without repeating it', () => {
    const resolved = resolveUnsubscribeSecret('tiny-secret-value', { requiredWhen: null });
    expect(resolved).toMatchObject({ ok: false });
    expect(JSON.stringify(resolved)).not.toContain('tiny-secret-value');
  });

  it('accepts a long secret: gateway and sender with the same secret agree', () => {
    const gateway = resolveUnsubscribeSecret(SECRET, { requiredWhen: 'in production' });
    const sender = resolveUnsubscribeSecret(SECRET, { requiredWhen: 'in production' });
    if (!gateway.ok || !sender.ok) throw new Error('expected both to resolve');
    expect(gateway.development).toBe(false);
    expect(gateway.tokens.verify(sender.tokens.sign(claim))).toEqual({ ok: true, claim });
  });
});
