export {
  SmtpMailer,
  DEFAULT_SMTP_POOL,
  type SmtpOptions,
  type SmtpPoolOptions,
  type SmtpSession,
  type SmtpSendOptions,
  type SmtpConnectResult,
} from './smtp-mailer';
export { composeEmail, ComposeError, type ComposedEmail } from './compose/compose-email';
export type { OutgoingEmail } from './outgoing-email';
export { classifySmtpError } from './classify-smtp-error';
export type { DeliveryOutcome } from './delivery-outcome';
export { maskSmtpUrl } from './mask-smtp-url';
export { DkimSigningKey, DkimKeyError, DKIM_SIGNED_HEADERS, dkimKeyFor } from './dkim/dkim-signing-key';
