const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const LINE_START_DOT = Buffer.from('\r\n.');
const STUFFED_DOT = Buffer.from('.');
/** The end of the text (RFC 5321 §4.1.1.4): a line holding only a dot. */
const END_AFTER_LINE = Buffer.from('.\r\n');
const END = Buffer.from('\r\n.\r\n');

/**
 * A message as it goes on the wire after DATA: every line starting with a dot gets one more
 * (RFC 5321 §4.5.2), then the line holding only a dot that ends it. The same bytes nodemailer's
 * DataStream writes, in one buffer and with native searches instead of a loop over every byte in
 * JavaScript; undefined when the message has a bare CR or LF, which that stream turns into CRLF
 * (our composer writes none; anything else keeps nodemailer's own escaping).
 */
export function smtpDataText(message: Buffer): Buffer | undefined {
  for (let i = message.indexOf(LF); i >= 0; i = message.indexOf(LF, i + 1)) {
    if (i === 0 || message[i - 1] !== CR) return undefined;
  }
  for (let i = message.indexOf(CR); i >= 0; i = message.indexOf(CR, i + 1)) {
    if (message[i + 1] !== LF) return undefined;
  }
  const parts: Buffer[] = [];
  let from = 0;
  if (message[0] === DOT) parts.push(STUFFED_DOT);
  for (let at = message.indexOf(LINE_START_DOT); at >= 0; at = message.indexOf(LINE_START_DOT, at + 3)) {
    parts.push(message.subarray(from, at + 2), STUFFED_DOT);
    from = at + 2;
  }
  parts.push(from === 0 ? message : message.subarray(from));
  parts.push(message.length > 0 && message[message.length - 1] === LF ? END_AFTER_LINE : END);
  return Buffer.concat(parts);
}
