import type { LedgerEntry } from '@mailroom/contracts';
import type { DeliveryOutcome } from '@mailroom/mailer';

/**
 * The ledger entry for one attempt. A transient failure stays `deferred` (to retry) until the
 * final attempt, when it becomes `failed` with "retries exhausted" and the last error.
 */
export function toLedgerEntry(
  email: string,
  outcome: DeliveryOutcome,
  previous: LedgerEntry | undefined,
  finalAttempt: boolean,
  now: Date = new Date(),
): LedgerEntry {
  const attempts = (previous?.attempts ?? 0) + 1;
  const at = now.toISOString();
  switch (outcome.kind) {
    case 'accepted':
      return { state: 'accepted', email, attempts, code: outcome.code, at };
    case 'permanent':
      return { state: 'failed', email, attempts, code: outcome.code, reason: outcome.reason, permanent: true, at };
    case 'transient':
      return finalAttempt
        ? { state: 'failed', email, attempts, code: outcome.code, reason: `retries exhausted: ${outcome.reason}`, permanent: false, at }
        : { state: 'deferred', email, attempts, code: outcome.code, reason: outcome.reason, at };
  }
}
