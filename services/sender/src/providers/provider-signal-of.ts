import type { DeliveryOutcome } from '@mailroom/mailer';
import { providerSignal, type ProviderSignal } from '@mailroom/rate-limit';

/**
 * What an SMTP outcome says about the provider (breaker, AIMD, failover). As `providerSignal`,
 * with one refinement: a 4xx answer to RCPT TO concerns that recipient (greylisting, "450 4.2.1
 * the user is receiving mail at a rate…", mailbox busy) and only defers it. Provider throttling
 * comes as 421 (closing the channel, at any step) or as 450/451/454 to the connection, MAIL FROM
 * or DATA (SES: "Message failed: 454 Throttling failure", Gmail: 421 4.7.0 at DATA).
 */
export function providerSignalOf(outcome: DeliveryOutcome): ProviderSignal {
  if (outcome.kind === 'transient' && outcome.command === 'RCPT TO' && outcome.code !== undefined && outcome.code !== 421) {
    return 'rejected';
  }
  return providerSignal(outcome);
}

/** Whether another provider may succeed where this one just failed: the recipient was not the problem. */
export function worthFailingOver(signal: ProviderSignal): boolean {
  return signal === 'unreachable' || signal === 'throttled';
}
