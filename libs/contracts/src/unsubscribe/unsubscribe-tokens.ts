import { SealedTokens } from './sealed-tokens';

/** Who asked to unsubscribe from what: the newsletter whose email carried the link, and the address it was sent to. */
export interface UnsubscribeClaim {
  readonly newsletterId: string;
  readonly email: string;
}

type UnsubscribeTokenCheck =
  | { readonly ok: true; readonly claim: UnsubscribeClaim }
  /** malformed: not a token at all (cut, mangled). forged: well-formed, but not signed with our secret. */
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' };

/** Shortest UNSUBSCRIBE_SECRET accepted: 32 characters (at least 128 bits if random base64). */
export const UNSUBSCRIBE_SECRET_MIN_LENGTH = 32;

/** Longer than any token we make (a 254-character address gives about 420). */
const MAX_TOKEN_LENGTH = 1024;
const HKDF_SALT = 'mailroom-unsubscribe';

/**
 * Signs and checks the token of an unsubscribe link: the newsletter and the address sealed with
 * SealedTokens (signed, encrypted, deterministic: one recipient of one newsletter always gets the
 * same link, and a resend is recognisable), under its own salt.
 */
export class UnsubscribeTokens {
  readonly #sealed: SealedTokens;

  constructor(secret: string) {
    if (secret.length < UNSUBSCRIBE_SECRET_MIN_LENGTH) {
      throw new RangeError(`The unsubscribe secret must be at least ${UNSUBSCRIBE_SECRET_MIN_LENGTH} characters`);
    }
    this.#sealed = new SealedTokens(secret, HKDF_SALT, MAX_TOKEN_LENGTH);
  }

  sign(claim: UnsubscribeClaim): string {
    return this.#sealed.seal([claim.newsletterId, claim.email]);
  }

  verify(token: string): UnsubscribeTokenCheck {
    const opened = this.#sealed.open(token, 2);
    if (!opened.ok) return opened;
    if (opened.fields.length !== 2) return { ok: false, reason: 'malformed' };
    const [newsletterId, email] = opened.fields;
    return { ok: true, claim: { newsletterId: newsletterId!, email: email! } };
  }

  toJSON(): string {
    return 'UnsubscribeTokens';
  }
}
