import type Mail from 'nodemailer/lib/mailer';
import type { OutgoingEmail } from '../outgoing-email';

// RFC 5322 field names: printable ASCII except ":". Raw values: printable ASCII and spaces only.
const FIELD_NAME = /^[!-9;-~]+$/;
const RAW_VALUE = /^[ -~]*$/;

/** The nodemailer message fields of one email. Throws on a raw header that is not printable ASCII. */
export function toMailOptions(email: OutgoingEmail): Mail.Options {
  return {
    from: email.from,
    to: email.to.name ? { name: email.to.name, address: email.to.email } : email.to.email,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: { ...email.headers, ...prepared(email.rawHeaders) },
    ...(email.messageId !== undefined ? { messageId: email.messageId } : {}),
  };
}

function prepared(raw: Readonly<Record<string, string>> | undefined): Record<string, { prepared: true; value: string; foldLines: true }> {
  const headers: Record<string, { prepared: true; value: string; foldLines: true }> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (!FIELD_NAME.test(name) || !RAW_VALUE.test(value)) throw new Error(`Raw header ${name.slice(0, 40)} must be printable ASCII`);
    headers[name] = { prepared: true, value, foldLines: true };
  }
  return headers;
}
