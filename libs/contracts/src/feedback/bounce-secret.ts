import { productionRequirement } from '../unsubscribe/unsubscribe-secret';
import { BOUNCE_SECRET_MIN_LENGTH, FeedbackTokens } from './feedback-tokens';

/**
 * The secret used when BOUNCE_SECRET is not set outside production, so that `npm start` and the
 * tests work with no setup and the feedback service accepts the addresses the sender makes. It is
 * public (it is in this file): production refuses it, as it refuses the development unsubscribe secret.
 */
export const DEVELOPMENT_BOUNCE_SECRET = 'mailroom-development-bounce-secret-public-never-use-in-production';

type BounceSecret =
  | { readonly ok: true; readonly tokens: FeedbackTokens; readonly development: boolean }
  | { readonly ok: false; readonly problem: string };

/**
 * BOUNCE_SECRET as the sender and the feedback service both read it. Unset: the development secret,
 * unless `requiredWhen` says why it may not be used (production). Problems never contain the value.
 */
export function resolveBounceSecret(value: string, options: { readonly requiredWhen: string | null }): BounceSecret {
  const { requiredWhen } = options;
  if (value === '') {
    if (requiredWhen !== null) {
      return { ok: false, problem: `is required ${requiredWhen}: a random string of ${BOUNCE_SECRET_MIN_LENGTH}+ characters, the same for sender and feedback` };
    }
    return { ok: true, tokens: new FeedbackTokens(DEVELOPMENT_BOUNCE_SECRET), development: true };
  }
  if (value === DEVELOPMENT_BOUNCE_SECRET && requiredWhen !== null) {
    return { ok: false, problem: `is the public development secret, which is refused ${requiredWhen}` };
  }
  if (value.length < BOUNCE_SECRET_MIN_LENGTH) return { ok: false, problem: `must be at least ${BOUNCE_SECRET_MIN_LENGTH} characters` };
  return { ok: true, tokens: new FeedbackTokens(value), development: value === DEVELOPMENT_BOUNCE_SECRET };
}

// A host name of two labels or more, in ASCII (an IDN in its xn-- form): it goes into every MAIL FROM.
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// RFC 2606 / 6761 names, which never receive mail from the Internet.
const RESERVED = /\.(test|example|invalid|localhost)$/;

/**
 * BOUNCE_DOMAIN as the senders and the feedback service both read it: trimmed, in lower case,
 * without a trailing dot; `''` when unset (each side decides what that means).
 */
export function parseBounceDomain(value: string): { readonly ok: true; readonly domain: string } | { readonly ok: false; readonly problem: string } {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  if (domain !== '' && !DOMAIN.test(domain)) return { ok: false, problem: 'must be a domain name (ASCII, xn-- for an IDN), e.g. bounces.acme.example' };
  return { ok: true, domain };
}

/** A reserved test domain (`.test`, `.example`, `.invalid`, `.localhost`): no bounce from the Internet reaches it. */
export function isReservedDomain(domain: string): boolean {
  return RESERVED.test(domain);
}

/**
 * THE rule for when BOUNCE_SECRET must be set (and may not be the public development secret),
 * shared by the senders and the feedback service so that they never disagree: in production, and
 * whenever the bounce domain (a valid one, as `parseBounceDomain` gives it) is a public domain,
 * since bounces and complaints that reach it can suppress real recipients and anyone can sign with
 * the public secret. Null: the development secret may be used (unset, or a reserved test domain).
 * Give it to `resolveBounceSecret` as `requiredWhen`.
 */
export function bounceSecretRequirement(nodeEnv: string | undefined, bounceDomain: string): string | null {
  return productionRequirement(nodeEnv) ?? (bounceDomain !== '' && !isReservedDomain(bounceDomain) ? 'when BOUNCE_DOMAIN is a public domain' : null);
}
