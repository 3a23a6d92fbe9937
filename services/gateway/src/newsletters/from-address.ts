import { normalizeAddress } from '@mailroom/contracts';

export type FromCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

const NAMED = /^\s*(?:"([^"\\]*)"|([^"<>,;:@\\]*?))\s*<([^<>]*)>\s*$/;

/** Accepts `addr@x.org` or `Display Name <addr@x.org>`; one address, no line breaks. */
export function parseFromAddress(raw: string): FromCheck {
  if (/[\r\n\0]/.test(raw)) return { ok: false, reason: 'must not contain line breaks' };
  const named = NAMED.exec(raw);
  const address = named ? named[3]! : raw;
  const checked = normalizeAddress(address);
  if (!checked.ok) return { ok: false, reason: `is not a valid sender address (${checked.reason})` };
  const name = (named?.[1] ?? named?.[2] ?? '').trim();
  if (!named) return { ok: true, value: checked.email };
  return { ok: true, value: name ? `"${name}" <${checked.email}>` : checked.email };
}
