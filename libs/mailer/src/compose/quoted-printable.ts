/**
 * Quoted-printable (RFC 2045 §6.7) in one pass over the UTF-8 bytes, with line ends normalised to
 * CRLF (what SMTP carries) and soft line breaks keeping every line within 76 characters.
 *
 * Why not nodemailer's `qp.encode` + `qp.wrap`: they run a regular expression per output line
 * and build the result by string concatenation, which made MIME the largest single cost of a
 * send. The output is equally valid; soft breaks fall at column 75 instead of at a nearby space.
 */

const MAX_LINE = 76;
const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;

/** Bytes written as they are (printable ASCII except "="); space and tab only when not ending a line. */
const LITERAL = new Uint8Array(256);
for (let byte = 0x21; byte <= 0x7e; byte += 1) LITERAL[byte] = byte === EQUALS ? 0 : 1;

export function encodeQuotedPrintable(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  const length = input.length;
  // Worst case: every byte escaped (3×) plus a soft break (3 bytes) per 24 escapes.
  const output = Buffer.allocUnsafe(length * 3 + Math.ceil(length / 24) * 3 + 2);
  let pos = 0;
  let column = 0;
  for (let i = 0; i < length; i += 1) {
    const byte = input[i]!;
    if (byte === CR || byte === LF) {
      // CRLF, a bare LF and a bare CR all end the line.
      if (byte === CR && input[i + 1] === LF) i += 1;
      output[pos++] = CR;
      output[pos++] = LF;
      column = 0;
      continue;
    }
    const next = input[i + 1];
    const endsLine = next === undefined || next === CR || next === LF;
    // Whitespace at the end of a line would be stripped in transit: it is escaped there.
    const literal = LITERAL[byte] === 1 || ((byte === SPACE || byte === TAB) && !endsLine);
    const width = literal ? 1 : 3;
    // Leave room for the "=" of a soft break, unless the line ends right after this byte.
    if (column + width > (endsLine ? MAX_LINE : MAX_LINE - 1)) {
      output[pos++] = EQUALS;
      output[pos++] = CR;
      output[pos++] = LF;
      column = 0;
    }
    if (literal) {
      output[pos++] = byte;
    } else {
      output[pos++] = EQUALS;
      output[pos++] = HEX[byte >> 4]!;
      output[pos++] = HEX[byte & 0x0f]!;
    }
    column += width;
  }
  return output.subarray(0, pos);
}
