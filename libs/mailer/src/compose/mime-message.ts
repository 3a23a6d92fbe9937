import { randomBytes, randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import type { OutgoingEmail } from '../outgoing-email';
import type { EncodedBody } from './body-encoding';
import { EncodedBodyCache } from './encoded-body-cache';
import { asciiAddress, dateValue, envelopeAddress, headerLine, HeaderError, mailbox, rawHeaderLine, unstructuredValue } from './header-fields';

/** One email as MIME, before any DKIM signature, with its SMTP envelope. */
interface MimeMessage {
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly raw: Buffer;
}

interface Sender {
  readonly header: string;
  readonly address: string;
  readonly domain: string;
}

const partHeaders = (type: string, encoding: EncodedBody['encoding']) =>
  Buffer.from(`Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`, 'latin1');

const PART_HEADERS = {
  text: { '7bit': partHeaders('text/plain', '7bit'), 'quoted-printable': partHeaders('text/plain', 'quoted-printable') },
  html: { '7bit': partHeaders('text/html', '7bit'), 'quoted-printable': partHeaders('text/html', 'quoted-printable') },
};

/**
 * Writes the MIME message of one email: text/plain, text/html, or multipart/alternative with
 * both, UTF-8, each body 7bit when it is plain ASCII with short lines, else quoted-printable (see
 * EncodedBodyCache). What is the same for a whole newsletter (the From header, the encoded bodies of an
 * unpersonalised newsletter) is worked out once and reused; per recipient only the To,
 * Message-ID and Date headers and whatever the personalisation changed are written.
 *
 * The boundary starts with "=_", which quoted-printable can never produce ("=" is always followed
 * by hex digits or a line break there), and a 7bit body never has a line starting with "--=_",
 * so no body can contain a boundary line.
 */
export class MimeMessageWriter {
  private readonly bodies = new EncodedBodyCache();
  private readonly senders = new Map<string, Sender>();
  private readonly boundaryPrefix = `=_mr_${randomBytes(6).toString('hex')}_`;
  private messages = 0;

  write(email: OutgoingEmail): MimeMessage {
    const sender = this.sender(email.from);
    const to = asciiAddress(email.to.email);
    let head =
      `From: ${sender.header}\r\n` +
      (email.replyTo !== undefined ? `Reply-To: ${this.sender(email.replyTo, 'Reply-To').header}\r\n` : '') +
      headerLine('To', mailbox(email.to.email, email.to.name)) +
      headerLine('Subject', unstructuredValue(email.subject)) +
      headerLine('Message-ID', email.messageId ?? `<${randomUUID()}@${sender.domain}>`) +
      `Date: ${dateValue()}\r\nMIME-Version: 1.0\r\n`;
    for (const [name, value] of Object.entries(email.headers ?? {})) head += headerLine(name, unstructuredValue(value));
    for (const [name, value] of Object.entries(email.rawHeaders ?? {})) head += rawHeaderLine(name, value);

    const parts: Array<{ headers: Buffer; body: Buffer }> = [];
    for (const type of ['text', 'html'] as const) {
      const text = email[type];
      if (text === undefined) continue;
      const body = this.bodies.encode(text);
      parts.push({ headers: PART_HEADERS[type][body.encoding], body: body.bytes });
    }
    if (parts.length === 0) parts.push({ headers: PART_HEADERS.text['7bit'], body: Buffer.alloc(0) });

    let chunks: Buffer[];
    if (parts.length === 1) {
      chunks = [Buffer.from(head, 'utf8'), parts[0]!.headers, parts[0]!.body];
    } else {
      this.messages += 1;
      const boundary = `${this.boundaryPrefix}${this.messages.toString(36)}`;
      head += `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`;
      const delimiter = Buffer.from(`\r\n--${boundary}\r\n`, 'latin1');
      chunks = [Buffer.from(head, 'utf8')];
      for (const part of parts) chunks.push(delimiter, part.headers, part.body);
      chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
    }
    return { envelope: { from: email.envelopeFrom === undefined ? sender.address : envelopeAddress(email.envelopeFrom), to: [to] }, raw: Buffer.concat(chunks) };
  }

  /** The From (or Reply-To) header and envelope sender of a `from` value, parsed once. */
  private sender(from: string, field = 'From'): Sender {
    const known = this.senders.get(from);
    if (known) return known;
    const [first] = addressparser(from, { flatten: true });
    if (!first?.address || !first.address.includes('@')) throw new HeaderError(`The ${field} address ${JSON.stringify(from.slice(0, 80))} has no mailbox`);
    const address = asciiAddress(first.address);
    const sender: Sender = {
      header: headerLine('From', mailbox(first.address, first.name)).slice('From: '.length, -2),
      address,
      domain: address.slice(address.lastIndexOf('@') + 1),
    };
    if (this.senders.size >= 256) this.senders.clear();
    this.senders.set(from, sender);
    return sender;
  }
}
