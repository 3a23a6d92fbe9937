import { createHash, createVerify, type KeyLike } from 'node:crypto';

/**
 * A small DKIM verifier (RFC 6376, rsa-sha256, relaxed/relaxed only) for tests: it checks the
 * body hash and the signature over the canonicalised headers of a raw message, independently of
 * nodemailer's signer. The public key is given (no DNS in tests).
 */
interface DkimVerification {
  readonly ok: boolean;
  readonly reason?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The `h=` list, lower-cased. */
  readonly signedHeaders: readonly string[];
}

interface HeaderField {
  readonly name: string;
  /** The whole field as it appears, folding included, without the final CRLF. */
  readonly raw: string;
}

export function verifyDkim(message: Buffer | string, publicKey: KeyLike): DkimVerification {
  const text = typeof message === 'string' ? message : message.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return fail('no header/body separator (CRLF CRLF)');
  const fields = parseHeaderFields(text.slice(0, split + 2));
  const body = text.slice(split + 4);

  const signature = fields.find((f) => f.name === 'dkim-signature');
  if (!signature) return fail('no DKIM-Signature header');
  const tags = parseTags(signature.raw.slice(signature.raw.indexOf(':') + 1));
  const signedHeaders = (tags['h'] ?? '').split(':').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const result = (ok: boolean, reason?: string): DkimVerification => ({ ok, ...(reason ? { reason } : {}), tags, signedHeaders });
  if (tags['a'] !== 'rsa-sha256') return result(false, `unsupported algorithm ${tags['a']}`);
  if (tags['c'] !== 'relaxed/relaxed') return result(false, `unsupported canonicalization ${tags['c']}`);

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  if (bodyHash !== tags['bh']) return result(false, 'body hash mismatch');

  // Each name in h= takes the last not-yet-used instance of that header, from the bottom up.
  const used = new Set<HeaderField>();
  let signed = '';
  for (const name of signedHeaders) {
    const field = [...fields].reverse().find((f) => f.name === name && !used.has(f) && f !== signature);
    if (!field) continue; // a listed header that is absent signs as "absent" (contributes nothing)
    used.add(field);
    signed += `${relaxedHeader(field.raw)}\r\n`;
  }
  const withoutB = signature.raw.replace(/([;\s]b=)[^;]*/, '$1');
  signed += relaxedHeader(withoutB);
  const verifier = createVerify('RSA-SHA256');
  verifier.update(signed, 'latin1');
  const valid = verifier.verify(publicKey, (tags['b'] ?? '').replace(/\s+/g, ''), 'base64');
  return valid ? result(true) : result(false, 'signature does not verify');
}

function fail(reason: string): DkimVerification {
  return { ok: false, reason, tags: {}, signedHeaders: [] };
}

function parseHeaderFields(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && fields.length > 0) {
      const last = fields.pop()!;
      fields.push({ name: last.name, raw: `${last.raw}\r\n${line}` });
    } else {
      fields.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), raw: line });
    }
  }
  return fields;
}

function parseTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    tags[part.slice(0, eq).replace(/\s+/g, '')] = part.slice(eq + 1).replace(/\s+/g, '');
  }
  return tags;
}

/** RFC 6376 §3.4.2: lower-case name, unfold, collapse whitespace, trim around the colon and at the end. */
function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim().toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 §3.4.4: collapse whitespace, drop it at line ends, drop empty lines at the end, end with CRLF. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}
