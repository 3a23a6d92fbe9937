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
 * `<token@from-domain>`, the token signed (FeedbackTokens) to name newsletter, batch and recipient,
 * so that a complaint quoting only the message (an ARF report, a forwarded email) leads back to the
 * ledger. Without a token (a newsletter id that is not a UUID): `<newsletterId.addressHash@from-domain>`.
 * Either way unique per email, and the same for one recipient of one newsletter every time, so a
 * resend (a retry after a crash) is recognisable as the same message.
 */
export function messageIdFor(newsletterId: string, email: string, from: string, token: string | null = null): string {
  return token !== null ? `<${token}@${domainOf(from)}>` : `<${newsletterId}.${addressHash(email)}@${domainOf(from)}>`;
}

/** List-Id and Feedback-ID; ASCII by construction, so they go out as raw headers, byte for byte. */
export interface ListHeaders {
  readonly 'List-Id': string;
  readonly 'Feedback-ID': string;
}

// A List-Id label is dot-atom text (RFC 2919); list ids (UUIDs) and tenant names are, this is a guard.
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9][A-Za-z0-9_-]*)*$/;
/** The sender field of every Feedback-ID: Gmail's Postmaster Tools group complaints by it. */
export const FEEDBACK_ID_SENDER = 'mailroom';

/**
 * RFC 2919 List-Id and Gmail's Feedback-ID (`campaign:customer:type:sender`):
 * - List-Id `<listId.from-domain>` for a send to a subscriber list, else `<tenant.from-domain>`
 *   (the default tenant's name when there are no tenants): mail clients and filters group by it.
 * - Feedback-ID `newsletterId:tenant:newsletter|test:mailroom`: Gmail reports complaint rates per
 *   value of each field, so a bad campaign or tenant shows up on its own.
 */
export function listHeaders(newsletter: { readonly newsletterId: string; readonly listId?: string; readonly tenant: string; readonly test: boolean }, from: string): ListHeaders {
  const label = newsletter.listId !== undefined && LABEL.test(newsletter.listId) ? newsletter.listId : LABEL.test(newsletter.tenant) ? newsletter.tenant : 'newsletters';
  const field = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, '-');
  return {
    'List-Id': `<${label.toLowerCase()}.${domainOf(from)}>`,
    'Feedback-ID': [field(newsletter.newsletterId), field(newsletter.tenant), newsletter.test ? 'test' : 'newsletter', FEEDBACK_ID_SENDER].join(':'),
  };
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
