export {
  SmtpMailer,
  DEFAULT_SMTP_POOL,
  type SmtpOptions,
  type SmtpPoolOptions,
  type SmtpSession,
  type SmtpSendOptions,
  type SmtpConnectResult,
} from './smtp-mailer';
export { ComposeError, type ComposedEmail } from './compose/compose-email';
export type { OutgoingEmail } from './outgoing-email';
export type { DeliveryOutcome } from './delivery-outcome';
export { maskSmtpUrl } from './mask-smtp-url';
export { DkimSigningKey, DkimKeyError } from './dkim/dkim-signing-key';
// For the bench's A/B of the SMTP text path (npm run bench -- smtp-write).
export { OneWriteSmtpConnection } from './pool/one-write-smtp-connection';
