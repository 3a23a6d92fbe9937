import type { LedgerEntry } from '@mailroom/contracts';
import type { DeliveryOutcome } from '@mailroom/mailer';

export interface AttemptContext {
  readonly previous: LedgerEntry | undefined;
  /** No redelivery follows: a transient failure is final now. */
  readonly finalAttempt: boolean;
  readonly round?: string;
  readonly now?: Date;
}

/**
 * The ledger entry for one attempt. A transient failure stays `deferred` (to retry) until the
 * final attempt, when it becomes `failed` with "retries exhausted" and the last error.
 */
export function toLedgerEntry(email: string, outcome: DeliveryOutcome, context: AttemptContext): LedgerEntry {
  const attempts = (context.previous?.attempts ?? 0) + 1;
  const at = (context.now ?? new Date()).toISOString();
  const round = context.round !== undefined ? { round: context.round } : {};
  switch (outcome.kind) {
    case 'accepted':
      return { state: 'accepted', email, attempts, code: outcome.code, at, ...round };
    case 'permanent':
      return { state: 'failed', email, attempts, code: outcome.code, reason: outcome.reason, permanent: true, at, ...round };
    case 'transient':
      return context.finalAttempt
        ? {
            state: 'failed',
            email,
            attempts,
            code: outcome.code,
            reason: `retries exhausted: ${outcome.reason}`,
            permanent: false,
            at,
            ...round,
          }
        : { state: 'deferred', email, attempts, code: outcome.code, reason: outcome.reason, at, ...round };
  }
}

/** The ledger entry of a recipient skipped because the address is suppressed. */
export function suppressedEntry(email: string, context: AttemptContext): LedgerEntry {
  return {
    state: 'suppressed',
    email,
    attempts: context.previous?.attempts ?? 0,
    reason: 'suppressed',
    at: (context.now ?? new Date()).toISOString(),
    ...(context.round !== undefined ? { round: context.round } : {}),
  };
}
