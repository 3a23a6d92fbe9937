import { SealedTokens } from '../unsubscribe/sealed-tokens';
import { UNSUBSCRIBE_SECRET_MIN_LENGTH } from '../unsubscribe/unsubscribe-tokens';

/** Whose copy of which newsletter a "view in browser" link shows: the newsletter, the batch it was sent in, the address. */
export interface ViewClaim {
  readonly newsletterId: string;
  readonly batchIndex: number;
  readonly email: string;
}

type ViewTokenCheck = { readonly ok: true; readonly claim: ViewClaim } | { readonly ok: false; readonly reason: 'malformed' | 'forged' };

/** Longer than any token we make (a 254-character address gives about 430). */
const MAX_TOKEN_LENGTH = 1_024;
const HKDF_SALT = 'mailroom-view';

/**
 * Signs and checks the token of a "view in browser" link (`{{ view_url }}`): newsletter, batch and
 * address sealed with SealedTokens (signed: nobody can make one that shows another reader's copy;
 * encrypted: no readable address in a URL; deterministic: one recipient always gets the same link).
 * Keys come from UNSUBSCRIBE_SECRET under their own salt, so a view token is no unsubscribe or
 * tracking token and the other way round.
 */
export class ViewTokens {
  readonly #sealed: SealedTokens;

  constructor(secret: string) {
    if (secret.length < UNSUBSCRIBE_SECRET_MIN_LENGTH) {
      throw new RangeError(`The view secret (UNSUBSCRIBE_SECRET) must be at least ${UNSUBSCRIBE_SECRET_MIN_LENGTH} characters`);
    }
    this.#sealed = new SealedTokens(secret, HKDF_SALT, MAX_TOKEN_LENGTH);
  }

  sign(claim: ViewClaim): string {
    return this.#sealed.seal([claim.newsletterId, String(claim.batchIndex), claim.email]);
  }

  verify(token: string): ViewTokenCheck {
    const opened = this.#sealed.open(token, 3);
    if (!opened.ok) return opened;
    const [newsletterId, batch, email] = opened.fields;
    const batchIndex = Number(batch);
    if (email === undefined || !/^\d+$/.test(batch!) || !Number.isSafeInteger(batchIndex)) return { ok: false, reason: 'malformed' };
    return { ok: true, claim: { newsletterId: newsletterId!, batchIndex, email } };
  }

  toJSON(): string {
    return 'ViewTokens';
  }
}
