import type { DeliveryOutcome } from '@mailroom/mailer';
import { providerSignal, type ProviderSignal } from '@mailroom/rate-limit';

/**
 * What an SMTP outcome says about the provider (breaker, AIMD, failover). As `providerSignal`,
 * with two refinements. A 4xx answer to RCPT TO concerns that recipient (greylisting, "450 4.2.1
 * the user is receiving mail at a rate…", mailbox busy) and only defers it. Provider throttling
 * comes as 421 (closing the channel, at any step) or as 450/451/454 to the connection, MAIL FROM
 * or DATA (SES: "Message failed: 454 Throttling failure", Gmail: 421 4.7.0 at DATA). And no reply
 * to the end of DATA (ambiguous) is a provider that did not answer: unreachable.
 */
export function providerSignalOf(outcome: DeliveryOutcome): ProviderSignal {
  if (outcome.kind === 'ambiguous') return 'unreachable';
  if (outcome.kind === 'transient' && outcome.command === 'RCPT TO' && outcome.code !== undefined && outcome.code !== 421) {
    return 'rejected';
  }
  return providerSignal(outcome);
}

/**
 * Whether another provider may succeed where this one just failed: the recipient was not the
 * problem. Never after an ambiguous outcome: the first provider may have delivered the message.
 */
export function worthFailingOver(outcome: DeliveryOutcome): boolean {
  if (outcome.kind === 'ambiguous') return false;
  const signal = providerSignalOf(outcome);
  return signal === 'unreachable' || signal === 'throttled';
}

/**
 * Whether the provider failed at its own end (no usable answer, or throttling) rather than
 * answering about this recipient or message: an outage or overload, which defers the recipient
 * without using one of its MAX_ATTEMPTS (deferral ages out by MAX_DEFERRAL_HOURS instead).
 */
export function providerAtFault(outcome: DeliveryOutcome): boolean {
  if (outcome.kind !== 'transient') return false;
  const signal = providerSignalOf(outcome);
  return signal === 'unreachable' || signal === 'throttled';
}
