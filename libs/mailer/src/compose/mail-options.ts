import type Mail from 'nodemailer/lib/mailer';
import type { OutgoingEmail } from '../outgoing-email';

/** The nodemailer message fields of one email. */
export function toMailOptions(email: OutgoingEmail): Mail.Options {
  return {
    from: email.from,
    to: email.to.name ? { name: email.to.name, address: email.to.email } : email.to.email,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: email.headers,
  };
}
