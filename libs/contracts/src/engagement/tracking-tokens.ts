import { SealedTokens } from '../unsubscribe/sealed-tokens';
import { UNSUBSCRIBE_SECRET_MIN_LENGTH } from '../unsubscribe/unsubscribe-tokens';

/** An open (the pixel was loaded) or a click (a tracked link was followed) of one recipient of one newsletter. */
export type TrackingClaim =
  | { readonly kind: 'open'; readonly newsletterId: string; readonly batchIndex: number; readonly email: string }
  | { readonly kind: 'click'; readonly newsletterId: string; readonly batchIndex: number; readonly email: string; readonly url: string };

type TrackingTokenCheck = { readonly ok: true; readonly claim: TrackingClaim } | { readonly ok: false; readonly reason: 'malformed' | 'forged' };

/** A URL longer than this is not tracked (left as it is in the email): the token would not fit a sane link. */
export const MAX_TRACKED_URL_LENGTH = 2_000;
/** Longer than any token we make (an address of 254 and a URL of 2,000 characters give about 3,000). */
const MAX_TOKEN_LENGTH = 4_096;
const HKDF_SALT = 'mailroom-tracking';
const KIND_CODES = { open: 'o', click: 'c' } as const;

/**
 * Signs and checks the tokens of tracked links and open pixels: kind, newsletter, batch (the
 * ledger entry's key), address and, for a click, the original URL, sealed with SealedTokens (signed:
 * a tampered token never redirects; encrypted: no readable address in a URL). Keys come from the
 * UNSUBSCRIBE_SECRET under their own salt, so an unsubscribe token is no tracking token and the
 * other way round, and a deployment has one secret less to manage.
 */
export class TrackingTokens {
  readonly #sealed: SealedTokens;

  constructor(secret: string) {
    if (secret.length < UNSUBSCRIBE_SECRET_MIN_LENGTH) {
      throw new RangeError(`The tracking secret (UNSUBSCRIBE_SECRET) must be at least ${UNSUBSCRIBE_SECRET_MIN_LENGTH} characters`);
    }
    this.#sealed = new SealedTokens(secret, HKDF_SALT, MAX_TOKEN_LENGTH);
  }

  sign(claim: TrackingClaim): string {
    const common = [KIND_CODES[claim.kind], claim.newsletterId, String(claim.batchIndex), claim.email];
    return this.#sealed.seal(claim.kind === 'click' ? [...common, claim.url] : common);
  }

  verify(token: string): TrackingTokenCheck {
    const opened = this.#sealed.open(token, 5);
    if (!opened.ok) return opened;
    const [kind, newsletterId, batch, email, url] = opened.fields;
    const batchIndex = Number(batch);
    if (!Number.isInteger(batchIndex) || email === undefined) return { ok: false, reason: 'malformed' };
    if (kind === KIND_CODES.open && url === undefined) return { ok: true, claim: { kind: 'open', newsletterId: newsletterId!, batchIndex, email } };
    if (kind === KIND_CODES.click && url !== undefined) return { ok: true, claim: { kind: 'click', newsletterId: newsletterId!, batchIndex, email, url } };
    return { ok: false, reason: 'malformed' };
  }

  toJSON(): string {
    return 'TrackingTokens';
  }
}
