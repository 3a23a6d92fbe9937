import { addressHash } from '../newsletters/ledger-entry';
import { bounceSecretRequirement, isReservedDomain, parseBounceDomain, resolveBounceSecret, DEVELOPMENT_BOUNCE_SECRET } from './bounce-secret';
import { ADDRESS_HASH_PREFIX_LENGTH, bounceAddress, feedbackTokenOf, FEEDBACK_TOKEN_LENGTH, FeedbackTokens } from './feedback-tokens';

const SECRET = 'a-test-bounce-secret-of-at-least-32-characters';
const claim = {
  newsletterId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  batchIndex: 1234,
  addressHashPrefix: addressHash('Reader@example.org').slice(0, ADDRESS_HASH_PREFIX_LENGTH),
};

describe('FeedbackTokens', () => {
  const tokens = new FeedbackTokens(SECRET);

  it('round-trips a claim through a bounce address that fits a 64-character local part', () => {
    const token = tokens.sign(claim)!;
    expect(token).toHaveLength(FEEDBACK_TOKEN_LENGTH);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^b1[a-z2-7]+$/);
    const address = bounceAddress(token, 'bounces.example.com');
    expect(tokens.verify(feedbackTokenOf(address)!)).toEqual({ ok: true, claim });
  });

  it('is deterministic and reads the same in upper case (mail systems that change local parts)', () => {
    const token = tokens.sign(claim)!;
    expect(tokens.sign(claim)).toBe(token);
    expect(tokens.verify(token.toUpperCase())).toEqual({ ok: true, claim });
    expect(feedbackTokenOf(`<${token.toUpperCase()}@news.example.org>`)).toBe(token);
  });

  it('refuses a token altered anywhere, or signed with another secret', () => {
    const token = tokens.sign(claim)!;
    for (let i = 2; i < token.length; i += 1) {
      for (const replacement of ['a', 'b', '7']) {
        if (replacement === token[i]) continue;
        expect(tokens.verify(token.slice(0, i) + replacement + token.slice(i + 1)).ok).toBe(false);
      }
    }
    expect(new FeedbackTokens(`${SECRET}-other`).verify(token)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls anything else malformed, and signs nothing it cannot carry', () => {
    expect(tokens.verify('postmaster')).toEqual({ ok: false, reason: 'malformed' });
    expect(tokens.verify(`b1${'0'.repeat(58)}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(feedbackTokenOf('someone@example.org')).toBeNull();
    expect(tokens.sign({ ...claim, newsletterId: 'not-a-uuid' })).toBeNull();
    expect(tokens.sign({ ...claim, batchIndex: -1 })).toBeNull();
    expect(JSON.stringify({ tokens })).not.toContain(SECRET);
  });

  it('takes BOUNCE_SECRET from the environment, refusing the public one in production', () => {
    expect(resolveBounceSecret('', { requiredWhen: null })).toMatchObject({ ok: true, development: true });
    expect(resolveBounceSecret('', { requiredWhen: 'in production' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^is required in production/) });
    expect(resolveBounceSecret(DEVELOPMENT_BOUNCE_SECRET, { requiredWhen: 'in production' })).toMatchObject({ ok: false });
    expect(resolveBounceSecret('short', { requiredWhen: null })).toMatchObject({ ok: false, problem: expect.stringContaining('32') });
    expect(resolveBounceSecret(SECRET, { requiredWhen: 'in production' })).toMatchObject({ ok: true, development: false });
  });

  it('requires BOUNCE_SECRET (one rule for sender and feedback) in production and for a public bounce domain, not for a reserved test domain', () => {
    expect(bounceSecretRequirement('production', '')).toMatch(/^in production/);
    expect(bounceSecretRequirement('production', 'bounces.test')).toMatch(/^in production/);
    expect(bounceSecretRequirement(undefined, 'bounces.acme.com')).toBe('when BOUNCE_DOMAIN is a public domain');
    expect(bounceSecretRequirement('development', 'bounces.acme.com')).toBe('when BOUNCE_DOMAIN is a public domain');
    for (const domain of ['', 'bounces.test', 'bounces.localhost', 'mail.example', 'x.invalid']) expect(bounceSecretRequirement(undefined, domain)).toBeNull();
    expect(isReservedDomain('bounces.example.com')).toBe(false);
    expect(parseBounceDomain(' Bounces.ACME.com. ')).toEqual({ ok: true, domain: 'bounces.acme.com' });
    expect(parseBounceDomain('')).toEqual({ ok: true, domain: '' });
    for (const bad of ['bounces', 'not a domain', 'b@acme.example', '-x.example']) expect(parseBounceDomain(bad)).toMatchObject({ ok: false, problem: expect.stringMatching(/^must be a domain name/) });
  });
});
