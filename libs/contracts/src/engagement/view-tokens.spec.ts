import { UnsubscribeTokens } from '../unsubscribe/unsubscribe-tokens';
import { TrackingTokens } from './tracking-tokens';
import { viewUrl } from './view-link';
import { ViewTokens } from './view-tokens';

const secret = 's'.repeat(32);
const tokens = new ViewTokens(secret);
const claim = { newsletterId: '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b', batchIndex: 12, email: 'reader@example.org' } as const;

describe('ViewTokens', () => {
  it('gives back exactly what it signed, the same token every time', () => {
    const token = tokens.sign(claim);
    expect(tokens.verify(token)).toEqual({ ok: true, claim });
    expect(tokens.sign(claim)).toBe(token);
    expect(tokens.verify(tokens.sign({ ...claim, batchIndex: 0 }))).toEqual({ ok: true, claim: { ...claim, batchIndex: 0 } });
  });

  it('gives each recipient, batch and newsletter a token of their own', () => {
    const all = [claim, { ...claim, email: 'other@example.org' }, { ...claim, batchIndex: 13 }, { ...claim, newsletterId: 'c0ffee00-6a3e-4c43-9d55-0a8e0f1d2c3b' }].map((c) => tokens.sign(c));
    expect(new Set(all).size).toBe(4);
  });

  it('shows no address and is URL-safe; a 254-character address still fits', () => {
    const token = tokens.sign(claim);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toMatch(/reader|example/);
    const long = `${'a'.repeat(64)}@${'b'.repeat(185)}.org`;
    expect(tokens.verify(tokens.sign({ ...claim, email: long }))).toEqual({ ok: true, claim: { ...claim, email: long } });
    expect(viewUrl('https://mail.example', token)).toBe(`https://mail.example/v/${token}`);
  });

  it('refuses a tampered token, a cut one, one signed with another secret, and unsubscribe or tracking tokens', () => {
    const token = tokens.sign(claim);
    for (let at = 0; at < token.length; at += 7) {
      const flipped = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
      expect(tokens.verify(flipped).ok).toBe(false);
    }
    expect(tokens.verify(token.slice(0, -3))).toMatchObject({ ok: false });
    expect(tokens.verify(token.slice(0, 20))).toEqual({ ok: false, reason: 'malformed' });
    expect(tokens.verify('not a token')).toEqual({ ok: false, reason: 'malformed' });
    expect(tokens.verify('')).toEqual({ ok: false, reason: 'malformed' });
    expect(tokens.verify('A'.repeat(2_000))).toEqual({ ok: false, reason: 'malformed' });
    expect(new ViewTokens('t'.repeat(32)).verify(token)).toEqual({ ok: false, reason: 'forged' });
    const unsubscribe = new UnsubscribeTokens(secret).sign({ newsletterId: claim.newsletterId, email: claim.email });
    expect(tokens.verify(unsubscribe)).toEqual({ ok: false, reason: 'forged' });
    const open = new TrackingTokens(secret).sign({ kind: 'open', ...claim });
    expect(tokens.verify(open)).toEqual({ ok: false, reason: 'forged' });
    // And the other way round: a view token opens nothing else.
    expect(new UnsubscribeTokens(secret).verify(token)).toEqual({ ok: false, reason: 'forged' });
    expect(new TrackingTokens(secret).verify(token)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a short secret, and never shows key material', () => {
    expect(() => new ViewTokens('short')).toThrow(RangeError);
    expect(JSON.stringify({ tokens })).toBe('{"tokens":"ViewTokens"}');
  });
});
