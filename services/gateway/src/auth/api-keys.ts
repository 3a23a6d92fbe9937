import { createHash, timingSafeEqual } from 'node:crypto';

/** A configured key: its name (safe to log) and the SHA-256 of its secret (never the secret). */
export interface ApiKey {
  readonly name: string;
  readonly digest: Buffer;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Parses `API_KEYS`: comma-separated entries, each `key` or `name:key`. */
export function parseApiKeys(raw: string): ApiKey[] {
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('no key given');
  const names = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const name = colon > 0 ? entry.slice(0, colon) : `key-${index + 1}`;
    const secret = colon > 0 ? entry.slice(colon + 1) : entry;
    if (secret.length < 16) throw new Error(`key "${name}" is shorter than 16 characters`);
    if (names.has(name)) throw new Error(`key name "${name}" is used twice`);
    names.add(name);
    return { name, digest: sha256(secret) };
  });
}

/**
 * Finds the key a presented secret belongs to. Compares fixed-length digests in constant time and
 * always checks every key, so timing reveals neither a key nor which one matched.
 */
export function matchApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = sha256(presented);
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(key.digest, digest) && !found) found = key;
  }
  return found;
}
