import { isIP } from 'node:net';
import { blockedRangeOf } from './ip-ranges';

/** Resolves a host name to every address it has (A and AAAA). */
export type ResolveHost = (host: string) => Promise<readonly string[]>;

export interface WebhookUrlRules {
  /** `WEBHOOK_ALLOW_PRIVATE=true`: internal targets allowed (a trusted, closed deployment). */
  readonly allowPrivate: boolean;
  /** `WEBHOOK_ALLOWED_HOSTS`: host names or IP literals allowed whatever they resolve to (lower-case). */
  readonly allowedHosts: ReadonlySet<string>;
  readonly resolve: ResolveHost;
}

type WebhookUrlVerdict =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly kind: 'invalid'; readonly reason: string }
  /** The host could not be resolved right now (not a verdict on the URL: try again). */
  | { readonly ok: false; readonly kind: 'unresolved'; readonly reason: string };

const invalid = (reason: string): WebhookUrlVerdict => ({ ok: false, kind: 'invalid', reason });

/** Only what cannot be a public server whatever DNS says (RFC 6761 and friends). */
const INTERNAL_NAMES = /(^|\.)(localhost|localdomain|internal|local|home\.arpa)$/;

/**
 * Checks a webhook URL before it is stored: http(s) only, no credentials, and a host that is not
 * (and does not resolve to) a loopback, private, link-local or unique-local address, unless the
 * configuration allows it. Parsing is WHATWG's, as in the fetch that will call the URL, so the
 * tricks it normalises (`http://2130706433/`, `http://0x7f.1/`, `http://[::ffff:127.0.0.1]/`) are
 * judged as the address they are.
 *
 * This is a check at submit time: DNS can change before delivery, so the notifier must check the
 * address it actually connects to as well (DNS rebinding).
 */
export async function checkWebhookUrl(raw: string, rules: WebhookUrlRules): Promise<WebhookUrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid('must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return invalid('must be an http:// or https:// URL');
  if (url.username || url.password) return invalid('must not contain a user name or password');
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === '') return invalid('must name a host');
  if (rules.allowPrivate || rules.allowedHosts.has(host)) return { ok: true, url: url.href };

  if (isIP(host)) {
    const range = blockedRangeOf(host);
    return range ? invalid(`must not point to a ${range} address (${host})`) : { ok: true, url: url.href };
  }
  if (INTERNAL_NAMES.test(host)) return invalid(`must not point to an internal host name (${host})`);

  let addresses: readonly string[];
  try {
    addresses = await rules.resolve(host);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return invalid(`host ${host} does not resolve`);
    return { ok: false, kind: 'unresolved', reason: `host ${host} could not be resolved right now` };
  }
  if (addresses.length === 0) return invalid(`host ${host} does not resolve`);
  for (const address of addresses) {
    const range = blockedRangeOf(address);
    if (range) return invalid(`must not point to a ${range} address (${host} resolves to ${address})`);
  }
  return { ok: true, url: url.href };
}
