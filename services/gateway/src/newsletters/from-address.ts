import { normalizeAddress } from '@mailroom/contracts';

export type FromCheck =
  | { readonly ok: true; readonly value: string; readonly address: string }
  | { readonly ok: false; readonly reason: string };

const NAMED = /^\s*(?:"([^"\\]*)"|([^"<>,;:@\\]*?))\s*<([^<>]*)>\s*$/;
/** Control characters (tab aside) and the Unicode line breaks some mail clients honour. */
export const LINE_BREAKING = /[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]/;

/**
 * Accepts `addr@x.org` or `Display Name <addr@x.org>`: one address, no line breaks, and a display
 * name that cannot pass for another address (`"ceo@bank.example" <eve@x.org>` is refused).
 * `address` is the bare, normalised address (what `ALLOWED_FROM` is checked against).
 */
export function parseFromAddress(raw: string): FromCheck {
  if (LINE_BREAKING.test(raw)) return { ok: false, reason: 'must not contain line breaks or control characters' };
  const named = NAMED.exec(raw);
  const address = named ? named[3]! : raw;
  const checked = normalizeAddress(address);
  if (!checked.ok) return { ok: false, reason: `is not a valid sender address (${checked.reason})` };
  const name = (named?.[1] ?? named?.[2] ?? '').trim();
  if (looksLikeAddress(name)) return { ok: false, reason: 'must not have an address-like display name' };
  if (!named || !name) return { ok: true, value: checked.email, address: checked.email };
  return { ok: true, value: `"${name}" <${checked.email}>`, address: checked.email };
}

/** RFC 2047 encoded words: `=?charset?B|Q?text?=`. */
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** A display name as a reader's mail client shows it: encoded words decoded (unknown charsets left as they are). */
export function decodeEncodedWords(name: string): string {
  return name.replace(/\?=\s+=\?/g, '?==?').replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    try {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      return new TextDecoder(charset.split('*')[0]!.toLowerCase()).decode(bytes);
    } catch {
      return word;
    }
  });
}

/**
 * Whether a display name could pass for an address: `@`, `<` or `>` once encoded words are
 * decoded and the text is NFKC-normalised (fullwidth `＠` and small `﹫` become `@`), as a mail
 * client would show it.
 */
export function looksLikeAddress(name: string): boolean {
  const shown = [name, decodeEncodedWords(name)].map((text) => text.normalize('NFKC'));
  return shown.some((text) => /[@<>\uFF20\uFE6B\uFF1C\uFF1E]/.test(text));
}
