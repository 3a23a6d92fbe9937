import { createHash, timingSafeEqual } from 'node:crypto';

/** A configured key: its name (safe to log) and the SHA-256 of its secret (never the secret). */
export interface ApiKey {
  readonly name: string;
  readonly digest: Buffer;
  /** Listed in `API_KEYS_REVOKED`: still recognised (so the caller is told why), never accepted. */
  readonly revoked: boolean;
}

const MIN_SECRET_LENGTH = 16;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HASHED = /^sha256:([0-9a-fA-F]{64})$/;

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Parses `API_KEYS`: comma-separated entries, each one of
 * - `secret` (named `key-<position>`),
 * - `name:secret`,
 * - `name:sha256:<64 hex>`: only the SHA-256 of the secret is configured, so the configuration
 *   (a Secret, an env dump, a support bundle) never holds a usable key.
 * Names listed in `revokedRaw` (`API_KEYS_REVOKED`) are refused with "revoked"; a name there that
 * is not a configured key is a boot error, because a typo would leave the key it meant working.
 */
export function parseApiKeys(raw: string, revokedRaw = ''): ApiKey[] {
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('no key given');
  const revoked = new Set(revokedRaw.split(',').map((e) => e.trim()).filter(Boolean));
  const names = new Set<string>();
  const keys = entries.map((entry, index) => {
    const { name, digest } = parseEntry(entry, index);
    if (names.has(name)) throw new Error(`key name "${name}" is used twice`);
    names.add(name);
    return { name, digest, revoked: revoked.has(name) };
  });
  const unknown = [...revoked].filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new Error(`API_KEYS_REVOKED names ${unknown.map((n) => `"${n}"`).join(', ')}, which API_KEYS does not have`);
  }
  return keys;
}

function parseEntry(entry: string, index: number): { name: string; digest: Buffer } {
  if (HASHED.test(entry)) throw new Error(`entry ${index + 1}: a hashed key needs a name ("name:sha256:<hex>")`);
  const colon = entry.indexOf(':');
  if (colon <= 0) {
    const name = `key-${index + 1}`;
    assertSecretLength(name, entry);
    return { name, digest: sha256(entry) };
  }
  const name = entry.slice(0, colon);
  const rest = entry.slice(colon + 1);
  // Never echo the entry: the part before the first colon may be a secret that contains one.
  if (!NAME.test(name)) throw new Error(`entry ${index + 1}: a key name is 1-64 characters of A-Z, a-z, 0-9, ".", "_" or "-"`);
  const hashed = HASHED.exec(rest);
  if (hashed) return { name, digest: Buffer.from(hashed[1]!, 'hex') };
  if (rest.startsWith('sha256:')) throw new Error(`key "${name}": a hashed key is "sha256:" and 64 hex digits`);
  assertSecretLength(name, rest);
  return { name, digest: sha256(rest) };
}

function assertSecretLength(name: string, secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`key "${name}" is shorter than ${MIN_SECRET_LENGTH} characters`);
}

/**
 * Finds the key a presented secret belongs to (revoked ones included: the caller decides). Compares
 * fixed-length digests in constant time and always checks every key, so timing reveals neither a
 * key nor which one matched.
 */
export function matchApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = sha256(presented);
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(key.digest, digest) && !found) found = key;
  }
  return found;
}
