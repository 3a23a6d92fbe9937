/**
 * What one SMTP outcome says about the provider (not about the recipient):
 * - `accepted`: it works;
 * - `rejected`: it answered and refused this message or recipient: alive, no news about its rate;
 * - `throttled`: it asked us to slow down (421/450/451/454-style replies);
 * - `unreachable`: no usable answer (connection refused or lost, timeout, TLS, authentication).
 */
export type ProviderSignal = 'accepted' | 'rejected' | 'throttled' | 'unreachable';

/** The replies relays use to say "too fast, try later" (SES 454, Microsoft 451 4.7.500, Gmail 421 4.7.0…). */
const DEFAULT_THROTTLING_CODES: ReadonlySet<number> = new Set([421, 450, 451, 454]);

/** Structurally `DeliveryOutcome` of `@mailroom/mailer`, so no import is needed either way. */
export interface SmtpOutcomeLike {
  readonly kind: 'accepted' | 'transient' | 'permanent';
  readonly code?: number;
}

export function providerSignal(
  outcome: SmtpOutcomeLike,
  throttlingCodes: ReadonlySet<number> = DEFAULT_THROTTLING_CODES,
): ProviderSignal {
  if (outcome.kind === 'accepted') return 'accepted';
  if (outcome.kind === 'permanent') return 'rejected';
  const { code } = outcome;
  if (code === undefined) return 'unreachable'; // no reply at all: the way to the provider failed
  if (throttlingCodes.has(code)) return 'throttled';
  // A transient 5xx is our side failing with this provider (e.g. 535 bad credentials): fail over.
  if (code >= 500) return 'unreachable';
  return 'rejected'; // another 4xx (452 mailbox full…): about the recipient, not the provider
}
