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
  // Templates mostly come with bare LF line ends: replacing a plain string is a third cheaper
  // than the alternation, and this runs for every personalised body.
  const crlf = text.includes('\r') ? text.replace(LINE_END, '\r\n') : text.replaceAll('\n', '\r\n');
  // Every LF now ends a CRLF: a line is what lies between one LF and the CR before the next.
  for (let start = 0; ; ) {
    const end = crlf.indexOf('\n', start);
    if ((end < 0 ? crlf.length : end - 1) - start > MAX_7BIT_LINE) return undefined;
    if (end < 0) break;
    start = end + 1;
  }
  return Buffer.from(crlf, 'latin1');
}
