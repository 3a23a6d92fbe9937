/** A body part ready to write: its transfer encoding and its bytes (CRLF line ends). */
export interface EncodedBody {
  readonly encoding: '7bit' | 'quoted-printable';
  readonly bytes: Buffer;
}

/** Anything but printable ASCII, tab and line ends needs encoding. */
const NOT_SEVEN_BIT = /[^\t\n\r\x20-\x7e]/;
const LINE_END = /\r\n|\r|\n/g;
/** RFC 5322 §2.1.1: at most 998 characters on a line. */
const MAX_7BIT_LINE = 998;

/**
 * The text as 7bit bytes with CRLF line ends, or undefined when it needs quoted-printable. Plain
 * ASCII with short lines goes as it is: most newsletters, and the cheapest way to send a body that
 * differs per recipient. A text with a line starting like our multipart boundaries (`--=_`) does
 * not: QP can never contain one.
 */
export function sevenBit(text: string): Buffer | undefined {
  if (NOT_SEVEN_BIT.test(text) || text.includes('--=_')) return undefined;
  const crlf = text.replace(LINE_END, '\r\n');
  for (let start = 0; ; ) {
    const end = crlf.indexOf('\r\n', start);
    if ((end < 0 ? crlf.length : end) - start > MAX_7BIT_LINE) return undefined;
    if (end < 0) break;
    start = end + 2;
  }
  return Buffer.from(crlf, 'latin1');
}
