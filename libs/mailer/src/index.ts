export { SmtpMailer, DEFAULT_SMTP_POOL, type SmtpOptions, type OutgoingEmail } from './smtp-mailer';
export { classifySmtpError } from './classify-smtp-error';
export type { DeliveryOutcome } from './delivery-outcome';
