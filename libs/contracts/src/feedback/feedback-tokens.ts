import { createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * What a bounce address (VERP envelope sender) or a Message-ID names: one recipient of one
 * newsletter, as the delivery ledger stores it (`<newsletterId>.<batchIndex>.<addressHash>`).
 * The address itself is not in it (a local part has 64 characters at most, an address up to 254):
 * `addressHashPrefix` (the first 8 characters of `addressHash(email)`, 48 bits) picks the
 * recipient out of its batch's ledger entries, or confirms an address a report quotes.
 */
export interface FeedbackClaim {
  readonly newsletterId: string;
  readonly batchIndex: number;
  readonly addressHashPrefix: string;
}

type FeedbackTokenCheck =
  | { readonly ok: true; readonly claim: FeedbackClaim }
  /** malformed: not one of our tokens. forged: shaped like one, but not signed with our secret. */
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' };

/** Shortest BOUNCE_SECRET accepted: 32 characters, like UNSUBSCRIBE_SECRET. */
export const BOUNCE_SECRET_MIN_LENGTH = 32;

/** Every token starts with this (version 1), so it is recognised among other local parts. */
export const FEEDBACK_TOKEN_PREFIX = 'b1';
/** Characters after the prefix: 36 bytes in base32. With the prefix 60, under RFC 5321's 64 for a local part. */
export const FEEDBACK_TOKEN_LENGTH = FEEDBACK_TOKEN_PREFIX.length + 58;
/** Hash characters carried: 8 base64url characters are exactly 6 bytes. */
export const ADDRESS_HASH_PREFIX_LENGTH = 8;

const UUID_BYTES = 16;
const BATCH_BYTES = 4;
const HASH_BYTES = 6;
const MAC_BYTES = 10;
const BODY_BYTES = UUID_BYTES + BATCH_BYTES + HASH_BYTES;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL_8 = /^[A-Za-z0-9_-]{8}$/;
const HKDF_SALT = 'mailroom-feedback';

/**
 * Signs and checks the token of a bounce address (`b1…@BOUNCE_DOMAIN`) and of a Message-ID
 * (`<b1…@from-domain>`): `"b1" ‖ base32(newsletterId ‖ batchIndex ‖ hash prefix ‖ HMAC-SHA256 (first 80 bits))`.
 * - Lower-case base32: survives mail systems that change the case of local parts, and fits in
 *   the 64 characters RFC 5321 allows a local part (60 used).
 * - Signed (HMAC, compared in constant time): a report to an address we did not make, or to one
 *   altered, suppresses nobody. 80 bits are plenty for a check an attacker can only try online.
 * - Deterministic: one recipient of one newsletter always has the same bounce address.
 * The key is derived from BOUNCE_SECRET with HKDF; the secret is not kept, and neither
 * `JSON.stringify` nor `util.inspect` shows key material.
 */
export class FeedbackTokens {
  readonly #macKey: KeyObject;

  constructor(secret: string) {
    if (secret.length < BOUNCE_SECRET_MIN_LENGTH) {
      throw new RangeError(`The bounce secret must be at least ${BOUNCE_SECRET_MIN_LENGTH} characters`);
    }
    this.#macKey = createSecretKey(Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, 'v1 mac', 32)));
  }

  /** The token, or null when the claim cannot be carried (a newsletter id that is not a UUID, a batch index out of range). */
  sign(claim: FeedbackClaim): string | null {
    if (!UUID.test(claim.newsletterId) || !Number.isInteger(claim.batchIndex) || claim.batchIndex < 0 || claim.batchIndex > 0xffffffff) return null;
    if (!BASE64URL_8.test(claim.addressHashPrefix)) return null;
    const body = Buffer.alloc(BODY_BYTES);
    Buffer.from(claim.newsletterId.replaceAll('-', ''), 'hex').copy(body, 0);
    body.writeUInt32BE(claim.batchIndex, UUID_BYTES);
    Buffer.from(claim.addressHashPrefix, 'base64url').copy(body, UUID_BYTES + BATCH_BYTES);
    return FEEDBACK_TOKEN_PREFIX + base32(Buffer.concat([body, this.mac(body)]));
  }

  /** Checks a token as found in a local part or Message-ID (any case). */
  verify(token: string): FeedbackTokenCheck {
    const lower = token.toLowerCase();
    if (lower.length !== FEEDBACK_TOKEN_LENGTH || !lower.startsWith(FEEDBACK_TOKEN_PREFIX)) return { ok: false, reason: 'malformed' };
    const bytes = unbase32(lower.slice(FEEDBACK_TOKEN_PREFIX.length));
    if (bytes === null || bytes.length < BODY_BYTES + MAC_BYTES) return { ok: false, reason: 'malformed' };
    const body = bytes.subarray(0, BODY_BYTES);
    if (!timingSafeEqual(this.mac(body), bytes.subarray(BODY_BYTES, BODY_BYTES + MAC_BYTES))) return { ok: false, reason: 'forged' };
    const hex = body.subarray(0, UUID_BYTES).toString('hex');
    return {
      ok: true,
      claim: {
        newsletterId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        batchIndex: body.readUInt32BE(UUID_BYTES),
        addressHashPrefix: body.subarray(UUID_BYTES + BATCH_BYTES).toString('base64url'),
      },
    };
  }

  toJSON(): string {
    return 'FeedbackTokens';
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#macKey).update(body).digest().subarray(0, MAC_BYTES);
  }
}

/** The token in a local part or Message-ID: `b1…` before the `@` (angle brackets allowed), or null. */
export function feedbackTokenOf(addressOrMessageId: string): string | null {
  const match = /^<?\s*(b1[a-z2-7]{58})@/i.exec(addressOrMessageId.trim());
  return match ? match[1]!.toLowerCase() : null;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, no padding. */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // Canonical only: the unused low bits of the last character are zero, so one token has one spelling (up to case).
  if ((value & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}

/** The envelope sender of one recipient's email: `<token>@<bounce domain>`. */
export function bounceAddress(token: string, bounceDomain: string): string {
  return `${token}@${bounceDomain}`;
}
