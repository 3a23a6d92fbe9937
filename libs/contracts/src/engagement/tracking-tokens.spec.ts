import { UnsubscribeTokens } from '../unsubscribe/unsubscribe-tokens';
import { TrackingTokens } from './tracking-tokens';

const secret = 's'.repeat(32);
const tokens = new TrackingTokens(secret);
const click = { kind: 'click', newsletterId: '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b', batchIndex: 7, email: 'reader@example.org', url: 'https://example.com/a?b=1&c=%20#top' } as const;
const open = { kind: 'open', newsletterId: '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b', batchIndex: 0, email: 'reader@example.org' } as const;

describe('TrackingTokens', () => {
  it('gives back exactly what it signed, clicks with their URL and opens without', () => {
    expect(tokens.verify(tokens.sign(click))).toEqual({ ok: true, claim: click });
    expect(tokens.verify(tokens.sign(open))).toEqual({ ok: true, claim: open });
  });

  it('shows neither the address nor the URL, and is URL-safe', () => {
    const token = tokens.sign(click);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toMatch(/reader|example/);
  });

  it('refuses a tampered token, one signed with another secret, and an unsubscribe token', () => {
    const token = tokens.sign(click);
    const flipped = token.slice(0, 40) + (token[40] === 'A' ? 'B' : 'A') + token.slice(41);
    expect(tokens.verify(flipped)).toEqual({ ok: false, reason: 'forged' });
    expect(new TrackingTokens('t'.repeat(32)).verify(token)).toEqual({ ok: false, reason: 'forged' });
    const unsubscribe = new UnsubscribeTokens(secret).sign({ newsletterId: click.newsletterId, email: click.email });
    expect(tokens.verify(unsubscribe)).toEqual({ ok: false, reason: 'forged' });
    expect(tokens.verify('not a token')).toEqual({ ok: false, reason: 'malformed' });
    expect(tokens.verify(token.slice(0, 20))).toEqual({ ok: false, reason: 'malformed' });
  });
});
