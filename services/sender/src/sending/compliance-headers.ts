import { domainToASCII } from 'node:url';
import { addressHash } from '@mailroom/contracts';

/** Where a recipient can unsubscribe: the one-click HTTPS link, and a mailbox if configured. */
export interface UnsubscribeTargets {
  readonly url: string;
  /** A full `mailto:` URI. */
  readonly mailto?: string;
}

/**
 * RFC 2369 and RFC 8058 (one-click), what Gmail and Yahoo require of bulk senders. Written as raw
 * headers: nodemailer's `list` option would rewrite the Post value, which must be exactly this.
 */
export function listUnsubscribeHeaders(targets: UnsubscribeTargets): Record<string, string> {
  const uris = [targets.url, ...(targets.mailto !== undefined ? [targets.mailto] : [])];
  return {
    'List-Unsubscribe': uris.map((uri) => `<${uri}>`).join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/**
 * `<newsletterId.addressHash@from-domain>`: unique per email, and the same for one recipient of one
 * newsletter every time, so a resend (a retry after a crash) is recognisable as the same message,
 * and a bounce quoting it leads back to the ledger and suppression keys (both use addressHash).
 */
export function messageIdFor(newsletterId: string, email: string, from: string): string {
  return `<${newsletterId}.${addressHash(email)}@${domainOf(from)}>`;
}

/** Domains by `from` value: a newsletter has one sender, and this runs for every recipient. */
const domains = new Map<string, string>();

/** The domain of `addr@domain` or `Name <addr@domain>`, IDNA-encoded; a reserved name if there is none. */
function domainOf(from: string): string {
  let domain = domains.get(from);
  if (domain === undefined) {
    domain = parseDomain(from);
    if (domains.size >= 256) domains.clear();
    domains.set(from, domain);
  }
  return domain;
}

function parseDomain(from: string): string {
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : domainToASCII(address.slice(at + 1).trim().toLowerCase());
  return /^[a-z0-9.-]+$/.test(domain) ? domain : 'mailroom.invalid';
}
