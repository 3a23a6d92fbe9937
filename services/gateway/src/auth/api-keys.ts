import { createHash, timingSafeEqual } from 'node:crypto';
import { DEFAULT_TENANT, isTenantName } from '@mailroom/contracts';

/**
 * What a key may do. `send`: create and steer newsletters, lists, imports and the tenant's
 * suppressions; `read`: read them (status, progress streams, failures, the tenant's dead letters and
 * suppressions); `admin`: the cross-tenant actions (the global suppression list, every tenant's
 * dead letters, re-drive). A key configured without scopes has `send` and `read`.
 */
export const SCOPES = ['send', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
export const DEFAULT_SCOPES: readonly Scope[] = ['send', 'read'];

/** A configured key: its name (safe to log), tenant, scopes and the SHA-256 of its secret (never the secret). */
export interface ApiKey {
  readonly name: string;
  /** Whose data its calls see and create: `tenant/name:…`, else the key's own name (`default` for an unnamed key). */
  readonly tenant: string;
  readonly scopes: ReadonlySet<Scope>;
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
 * - `secret` (named `key-<position>`, in the `default` tenant, scopes `send` and `read`),
 * - `label:secret`,
 * - `label:sha256:<64 hex>`: only the SHA-256 of the secret is configured, so the configuration
 *   (a Secret, an env dump, a support bundle) never holds a usable key;
 * where `label` is `[tenant/]name[@scope+scope…]`: `tenant` defaults to the name (so keys are
 * isolated from each other unless they name the same tenant), scopes (`send`, `read`, `admin`)
 * default to `send+read`. E.g. `billing/ops@read+send+admin:<secret>`. Key names are unique
 * across tenants (they name the key in logs, API_KEYS_REVOKED and rate limits).
 * Names listed in `revokedRaw` (`API_KEYS_REVOKED`) are refused with "revoked"; a name there that
 * is not a configured key is a boot error, because a typo would leave the key it meant working.
 */
export function parseApiKeys(raw: string, revokedRaw = ''): ApiKey[] {
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('no key given');
  const revoked = new Set(revokedRaw.split(',').map((e) => e.trim()).filter(Boolean));
  const names = new Set<string>();
  const keys = entries.map((entry, index) => {
    const { name, tenant, scopes, digest } = parseEntry(entry, index);
    if (names.has(name)) throw new Error(`key name "${name}" is used twice`);
    names.add(name);
    return { name, tenant, scopes, digest, revoked: revoked.has(name) };
  });
  const unknown = [...revoked].filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new Error(`API_KEYS_REVOKED names ${unknown.map((n) => `"${n}"`).join(', ')}, which API_KEYS does not have`);
  }
  return keys;
}

interface ParsedEntry {
  name: string;
  tenant: string;
  scopes: ReadonlySet<Scope>;
  digest: Buffer;
}

function parseEntry(entry: string, index: number): ParsedEntry {
  if (HASHED.test(entry)) throw new Error(`entry ${index + 1}: a hashed key needs a name ("name:sha256:<hex>")`);
  const colon = entry.indexOf(':');
  if (colon <= 0) {
    const name = `key-${index + 1}`;
    assertSecretLength(name, entry);
    // Unnamed keys are the single-team set-up of before tenants: they see the records it left.
    return { name, tenant: DEFAULT_TENANT, scopes: new Set(DEFAULT_SCOPES), digest: sha256(entry) };
  }
  const { name, tenant, scopes } = parseLabel(entry.slice(0, colon), index);
  const rest = entry.slice(colon + 1);
  const hashed = HASHED.exec(rest);
  if (hashed) return { name, tenant, scopes, digest: Buffer.from(hashed[1]!, 'hex') };
  if (rest.startsWith('sha256:')) throw new Error(`key "${name}": a hashed key is "sha256:" and 64 hex digits`);
  assertSecretLength(name, rest);
  return { name, tenant, scopes, digest: sha256(rest) };
}

/** `[tenant/]name[@scope+scope…]`. Never echoes the label: it may be part of a secret that contains a colon. */
function parseLabel(label: string, index: number): { name: string; tenant: string; scopes: ReadonlySet<Scope> } {
  const at = label.indexOf('@');
  const scopeList = at < 0 ? undefined : label.slice(at + 1);
  const path = at < 0 ? label : label.slice(0, at);
  const slash = path.indexOf('/');
  const name = slash < 0 ? path : path.slice(slash + 1);
  if (!NAME.test(name)) throw new Error(`entry ${index + 1}: a key name is 1-64 characters of A-Z, a-z, 0-9, ".", "_" or "-"`);
  const tenant = slash < 0 ? name : path.slice(0, slash);
  if (!isTenantName(tenant)) {
    throw new Error(
      `entry ${index + 1}: a tenant ("tenant/name:…", else the key's name) is 1-64 characters of A-Z, a-z, 0-9, "_" or "-", in words separated by single dots`,
    );
  }
  if (scopeList === undefined) return { name, tenant, scopes: new Set(DEFAULT_SCOPES) };
  const scopes = new Set<Scope>();
  for (const scope of scopeList.split('+')) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new Error(`entry ${index + 1}: scopes are ${SCOPES.join(', ')}, joined with "+" (e.g. "name@read+send:…")`);
    }
    scopes.add(scope as Scope);
  }
  return { name, tenant, scopes };
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
