import type { DeliveryOutcome } from './delivery-outcome';

/** The fields nodemailer puts on its errors. */
interface SmtpErrorFields {
  readonly message?: string;
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
}

// Errors that say nothing about the recipient: our configuration (auth) or the way to the server.
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ESTREAM', 'EAUTH']);

/**
 * Sorts an SMTP failure into transient (retry later) or permanent (never retry). 4xx replies,
 * connection and TLS problems, timeouts and authentication failures are transient; 5xx replies
 * are permanent, and a 5xx to RCPT TO is a hard bounce of that address.
 */
export function classifySmtpError(error: unknown): Extract<DeliveryOutcome, { kind: 'transient' | 'permanent' }> {
  const e = fieldsOf(error);
  const command = e.command ?? '';
  const reason = describe(e);
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // Where it failed matters to the caller: a 4xx to one RCPT TO is about that recipient, the same
  // reply to MAIL FROM or DATA is about the provider (see the sender's provider signals).
  const where = command ? { command } : {};

  if (e.code === 'EAUTH' || command.startsWith('AUTH')) return { kind: 'transient', code, reason, ...where };
  if (code !== undefined && code >= 500 && code < 600) {
    return { kind: 'permanent', code, reason, hardBounce: command === 'RCPT TO', ...where };
  }
  if (code !== undefined && code >= 400 && code < 500) return { kind: 'transient', code, reason, ...where };
  if (e.code && NETWORK_CODES.has(e.code)) return { kind: 'transient', code, reason, ...where };
  // nodemailer refusing the message before talking to the server (bad address, empty message).
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return { kind: 'permanent', code, reason, hardBounce: false, ...where };
  return { kind: 'transient', code, reason, ...where };
}

/**
 * The outcome of a failure that came after the whole message was sent, before any reply to the
 * end of DATA: a timeout, or the connection lost. The server may have taken the message.
 */
export function ambiguousOutcome(error: unknown): Extract<DeliveryOutcome, { kind: 'ambiguous' }> {
  const e = fieldsOf(error);
  const what = e.code === 'ETIMEDOUT' ? 'no reply to the end of DATA in time' : 'the connection was lost before the reply to the end of DATA';
  return {
    kind: 'ambiguous',
    reason: `${what} (${describe(e)}): the message may have been delivered, so it was not sent again (to avoid a duplicate)`,
    command: 'DATA',
  };
}

function fieldsOf(error: unknown): SmtpErrorFields {
  return typeof error === 'object' && error !== null ? error : { message: String(error) };
}

function describe(e: SmtpErrorFields): string {
  if (e.response) return e.response.trim().slice(0, 500);
  const prefix = e.code ? `${e.code}: ` : '';
  return `${prefix}${e.message ?? 'unknown error'}`.slice(0, 500);
}
