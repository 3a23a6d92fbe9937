import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

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

const VERSION = 1;
const IV_BYTES = 16;
const MAC_BYTES = 32;
/** Longer than any token we make (a 254-character address gives about 420). */
const MAX_TOKEN_LENGTH = 1024;
const HKDF_SALT = 'mailroom-unsubscribe';

/**
 * Signs and checks the token of an unsubscribe link. The token is
 * `base64url(version ‖ iv ‖ AES-256-CTR(newsletterId "\n" email) ‖ HMAC-SHA256(version ‖ iv ‖ ciphertext))`:
 * - signed (HMAC-SHA256, compared in constant time), so nobody can make a link that unsubscribes
 *   someone else, or alter one;
 * - encrypted, because URLs end up in access logs and proxies, and an address must not;
 * - deterministic (the IV is an HMAC of the claim, as in SIV), so one recipient of one newsletter
 *   always gets the same link, and a resend is recognisable.
 * Three keys are derived from one secret with HKDF-SHA256. The secret itself is not kept, and
 * neither `JSON.stringify` nor `util.inspect` shows key material.
 */
export class UnsubscribeTokens {
  readonly #ivKey: KeyObject;
  readonly #encryptionKey: KeyObject;
  readonly #macKey: KeyObject;

  constructor(secret: string) {
    if (secret.length < UNSUBSCRIBE_SECRET_MIN_LENGTH) {
      throw new RangeError(`The unsubscribe secret must be at least ${UNSUBSCRIBE_SECRET_MIN_LENGTH} characters`);
    }
    const derive = (purpose: string) => createSecretKey(Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, `v${VERSION} ${purpose}`, 32)));
    this.#ivKey = derive('iv');
    this.#encryptionKey = derive('encryption');
    this.#macKey = derive('mac');
  }

  sign(claim: UnsubscribeClaim): string {
    const plain = Buffer.from(`${claim.newsletterId}\n${claim.email}`, 'utf8');
    const iv = createHmac('sha256', this.#ivKey).update(plain).digest().subarray(0, IV_BYTES);
    const cipher = createCipheriv('aes-256-ctr', this.#encryptionKey, iv);
    const body = Buffer.concat([Buffer.of(VERSION), iv, cipher.update(plain), cipher.final()]);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  verify(token: string): UnsubscribeTokenCheck {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return { ok: false, reason: 'malformed' };
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length < 1 + IV_BYTES + 3 + MAC_BYTES || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    if (!timingSafeEqual(this.mac(body), bytes.subarray(bytes.length - MAC_BYTES))) return { ok: false, reason: 'forged' };
    const iv = body.subarray(1, 1 + IV_BYTES);
    const decipher = createDecipheriv('aes-256-ctr', this.#encryptionKey, iv);
    const plain = Buffer.concat([decipher.update(body.subarray(1 + IV_BYTES)), decipher.final()]).toString('utf8');
    const newline = plain.indexOf('\n');
    // Signed by us, so well-formed; checked anyway rather than trusted blindly.
    if (newline <= 0 || newline === plain.length - 1) return { ok: false, reason: 'malformed' };
    return { ok: true, claim: { newsletterId: plain.slice(0, newline), email: plain.slice(newline + 1) } };
  }

  toJSON(): string {
    return 'UnsubscribeTokens';
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#macKey).update(body).digest();
  }
}
