import { domainToASCII } from 'node:url';
import { encodeWord, encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';

/**
 * Header fields as RFC 5322/2047 want them, with nodemailer's own encoders (mime-funcs): names,
 * subjects and header values are encoded the way nodemailer's MailComposer encodes them.
 */

// RFC 5322 field names: printable ASCII except ":". Raw values: printable ASCII and spaces only.
const FIELD_NAME = /^[!-9;-~]+$/;
const RAW_VALUE = /^[ -~]*$/;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const ATOM_NAME = /^[\w ]*$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
// What may never appear in an address written into a header or the envelope (callers validate
// addresses; this is the writer's own guard against header injection).
const ADDRESS_BREAKING = /[\s<>(),;:"\\\x00-\x1f\x7f]/;

export class HeaderError extends Error {
  override readonly name = 'HeaderError';
}

/** `Name: value` folded at 76 characters (only at spaces), with its CRLF. */
export function headerLine(name: string, value: string): string {
  if (!FIELD_NAME.test(name)) throw new HeaderError(`Header name ${JSON.stringify(name.slice(0, 40))} is not a valid field name`);
  return `${foldLines(`${name}: ${value}`, 76)}\r\n`;
}

/**
 * A header written exactly as given, folded only at its spaces: for values a standard fixes to the
 * byte (List-Unsubscribe-Post). Anything but printable ASCII is refused rather than sent altered.
 */
export function rawHeaderLine(name: string, value: string): string {
  if (!FIELD_NAME.test(name) || !RAW_VALUE.test(value)) throw new HeaderError(`Raw header ${name.slice(0, 40)} must be printable ASCII`);
  return headerLine(name, value);
}

/** An unstructured value (Subject, X-…): encoded words where it is not plain ASCII; control characters never go out raw. */
export function unstructuredValue(value: string): string {
  if (CONTROL.test(value) || /[\r\n]/.test(value)) return encodeWord(value, wordEncoding(value), 52);
  // encodeAll, as nodemailer does: some clients mangle the spaces around a lone encoded word.
  return (encodeWords as (value: string, encoding: 'Q' | 'B', maxLength: number, encodeAll: boolean) => string)(value, wordEncoding(value), 52, true);
}

/** `Name <local@domain>` (or the bare address), the name quoted or encoded as needed, the domain in ASCII (IDNA). */
export function mailbox(address: string, name?: string): string {
  const ascii = asciiAddress(address);
  if (ADDRESS_BREAKING.test(ascii)) throw new HeaderError(`The address ${JSON.stringify(address.slice(0, 80))} is not a bare address`);
  if (!name) return ascii;
  return `${displayName(name)} <${ascii}>`;
}

/**
 * An envelope address (MAIL FROM) as it goes on the wire: bare, domain in ASCII. Anything that could
 * end the SMTP command or add parameters to it (spaces, brackets, line breaks) is refused.
 */
export function envelopeAddress(address: string): string {
  const ascii = asciiAddress(address);
  const at = ascii.lastIndexOf('@');
  if (at < 1 || at === ascii.length - 1 || ADDRESS_BREAKING.test(ascii)) {
    throw new HeaderError(`The envelope sender ${JSON.stringify(address.slice(0, 80))} is not a bare address`);
  }
  return ascii;
}

/** The address with its domain IDNA-encoded (what goes into headers and the SMTP envelope). */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  if (PRINTABLE.test(domain)) return address;
  const ascii = domainToASCII(domain);
  return ascii ? `${address.slice(0, at + 1)}${ascii}` : address;
}

function displayName(name: string): string {
  if (ATOM_NAME.test(name)) return name;
  if (PRINTABLE.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}"`;
  return encodeWord(name, wordEncoding(name), 52);
}

/** Q when the value is mostly Latin letters, else B (nodemailer's rule). */
function wordEncoding(value: string): 'Q' | 'B' {
  let nonLatin = 0;
  let latin = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) nonLatin += 1;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin += 1;
  }
  return nonLatin < latin ? 'Q' : 'B';
}

/** `Sat, 28 Nov 2026 05:23:10 +0000`, made once per second. */
export function dateValue(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== lastDate.second) lastDate = { second, value: new Date(second * 1000).toUTCString().replace(/GMT$/, '+0000') };
  return lastDate.value;
}

let lastDate = { second: -1, value: '' };
