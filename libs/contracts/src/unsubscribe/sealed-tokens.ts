import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

type SealedTokenCheck =
  | { readonly ok: true; readonly fields: readonly string[] }
  /** malformed: not a token at all (cut, mangled). forged: well-formed, but not signed with our secret. */
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' };

const VERSION = 1;
const IV_BYTES = 16;
const MAC_BYTES = 32;

/**
 * Text fields sealed into a URL-safe token, for links that must name a recipient without showing
 * them: `base64url(version ‖ iv ‖ AES-256-CTR(fields joined by "\n") ‖ HMAC-SHA256(version ‖ iv ‖ ciphertext))`.
 * - signed (HMAC-SHA256, compared in constant time): nobody can make or alter one;
 * - encrypted: URLs end up in access logs and proxies, and an address must not;
 * - deterministic (the IV is an HMAC of the plain text, as in SIV): the same fields always give
 *   the same token.
 * Three keys are derived from one secret with HKDF-SHA256 under `salt` (one per use: a token made
 * for one use is forged for another). The secret itself is not kept, and neither `JSON.stringify`
 * nor `util.inspect` shows key material. Fields must not contain "\n" (but the last may).
 */
export class SealedTokens {
  readonly #ivKey: KeyObject;
  readonly #encryptionKey: KeyObject;
  readonly #macKey: KeyObject;

  constructor(
    secret: string,
    salt: string,
    /** Longer tokens are refused unread. */
    private readonly maxLength: number,
  ) {
    const derive = (purpose: string) => createSecretKey(Buffer.from(hkdfSync('sha256', secret, salt, `v${VERSION} ${purpose}`, 32)));
    this.#ivKey = derive('iv');
    this.#encryptionKey = derive('encryption');
    this.#macKey = derive('mac');
  }

  seal(fields: readonly string[]): string {
    const plain = Buffer.from(fields.join('\n'), 'utf8');
    const iv = createHmac('sha256', this.#ivKey).update(plain).digest().subarray(0, IV_BYTES);
    const cipher = createCipheriv('aes-256-ctr', this.#encryptionKey, iv);
    const body = Buffer.concat([Buffer.of(VERSION), iv, cipher.update(plain), cipher.final()]);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** The fields, split at the first `maxFields - 1` newlines (the last keeps any others); malformed when one is empty. */
  open(token: string, maxFields: number): SealedTokenCheck {
    if (token.length === 0 || token.length > this.maxLength || !/^[A-Za-z0-9_-]+$/.test(token)) return { ok: false, reason: 'malformed' };
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length < 1 + IV_BYTES + 3 + MAC_BYTES || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    if (!timingSafeEqual(this.mac(body), bytes.subarray(bytes.length - MAC_BYTES))) return { ok: false, reason: 'forged' };
    const iv = body.subarray(1, 1 + IV_BYTES);
    const decipher = createDecipheriv('aes-256-ctr', this.#encryptionKey, iv);
    const plain = Buffer.concat([decipher.update(body.subarray(1 + IV_BYTES)), decipher.final()]).toString('utf8');
    const fields: string[] = [];
    let rest = plain;
    for (let newline = rest.indexOf('\n'); newline !== -1 && fields.length < maxFields - 1; newline = rest.indexOf('\n')) {
      fields.push(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
    }
    fields.push(rest);
    // Signed by us, so well-formed; checked anyway rather than trusted blindly.
    if (fields.some((field) => field.length === 0)) return { ok: false, reason: 'malformed' };
    return { ok: true, fields };
  }

  toJSON(): string {
    return 'SealedTokens';
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#macKey).update(body).digest();
  }
}
