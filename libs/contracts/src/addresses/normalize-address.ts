import { domainToASCII } from 'node:url';

type AddressCheck =
  | { readonly ok: true; readonly email: string }
  | { readonly ok: false; readonly reason: string };

// RFC 5321/5322 dot-atom local part. Quoted local parts ("a b"@x.org) are legal but almost never
// real subscribers, and they are a favourite of header-injection tricks, so they are refused.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Trims an address, lower-cases (and IDNA-encodes) its domain, and says why it cannot be sent to
 * when it cannot. The local part keeps its case (the address is sent as written); comparisons —
 * de-duplication, suppression, erasure — use `mailboxKey` of the result, which ignores it.
 */
export function normalizeAddress(raw: unknown): AddressCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'not a string' };
  const address = raw.trim();
  if (address === '') return { ok: false, reason: 'empty address' };
  if (address.length > 254) return { ok: false, reason: 'longer than 254 characters' };
  if (/[\s<>,;:"()[\]\\]/.test(address)) {
    return { ok: false, reason: 'must be a bare address (no spaces, display name or list)' };
  }
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return { ok: false, reason: 'missing "@"' };
  const local = address.slice(0, at);
  const rawDomain = address.slice(at + 1);
  if (local.length > 64) return { ok: false, reason: 'local part longer than 64 characters' };
  if (!LOCAL_PART.test(local)) return { ok: false, reason: 'invalid local part' };

  const domain = domainToASCII(rawDomain.toLowerCase());
  if (domain === '') return { ok: false, reason: 'invalid domain' };
  const labels = domain.split('.');
  if (labels.length < 2) return { ok: false, reason: 'domain has no top-level part' };
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return { ok: false, reason: 'invalid domain' };
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return { ok: false, reason: 'invalid domain' };
  return { ok: true, email: `${local}@${domain}` };
}
