import type { LedgerEntry } from '@mailroom/contracts';
import type { DeliveryOutcome } from '@mailroom/mailer';

export interface AttemptContext {
  readonly previous: LedgerEntry | undefined;
  /** SMTP attempts allowed per recipient in one pass (or one re-send round). */
  readonly maxAttempts: number;
  readonly round?: string;
  /** The provider that gave the outcome (recorded in the entry); absent when none could be tried. */
  readonly provider?: string;
  readonly now?: Date;
}

/** Attempts already made in this pass or round (a new round starts from zero). */
function previousPassAttempts(context: AttemptContext): number {
  const previous = context.previous;
  if (!previous || previous.round !== context.round) return 0;
  return previous.passAttempts ?? previous.attempts;
}

/**
 * The ledger entry for one attempt. A transient failure stays `deferred` (to retry) until the
 * recipient's last allowed attempt, when it becomes `failed` with "retries exhausted" and the
 * last error. Attempts are counted per recipient, not per delivery of the batch message.
 */
export function toLedgerEntry(email: string, outcome: DeliveryOutcome, context: AttemptContext): LedgerEntry {
  const attempts = (context.previous?.attempts ?? 0) + 1;
  const passAttempts = previousPassAttempts(context) + 1;
  const at = (context.now ?? new Date()).toISOString();
  const common = {
    email,
    attempts,
    passAttempts,
    at,
    ...(context.round !== undefined ? { round: context.round } : {}),
    ...(context.provider !== undefined ? { provider: context.provider } : {}),
  };
  switch (outcome.kind) {
    case 'accepted':
      return { state: 'accepted', code: outcome.code, ...common };
    case 'permanent':
      return { state: 'failed', code: outcome.code, reason: outcome.reason, permanent: true, ...common };
    case 'transient':
      return passAttempts >= context.maxAttempts
        ? { state: 'failed', code: outcome.code, reason: `retries exhausted: ${outcome.reason}`, permanent: false, ...common }
        : { state: 'deferred', code: outcome.code, reason: outcome.reason, ...common };
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
