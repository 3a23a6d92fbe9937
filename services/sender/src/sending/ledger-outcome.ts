import type { LedgerEntry } from '@mailroom/contracts';
import type { DeliveryOutcome } from '@mailroom/mailer';
import { providerAtFault } from '../providers/provider-signal-of';

/** No provider would take traffic (every circuit breaker open): no SMTP transaction happened. */
export interface NoProviderAvailable {
  readonly kind: 'unavailable';
  readonly reason: string;
}

/** What one attempt at a recipient gave: an SMTP outcome, or no provider to try at all. */
export type AttemptOutcome = DeliveryOutcome | NoProviderAvailable;

export const NO_PROVIDER_AVAILABLE: NoProviderAvailable = {
  kind: 'unavailable',
  reason: 'no SMTP provider available: every circuit breaker is open',
};

export interface AttemptContext {
  readonly previous: LedgerEntry | undefined;
  /** Attempts that count (see `countsAsAttempt`) allowed per recipient in one pass (or one re-send round). */
  readonly maxAttempts: number;
  /** How long a recipient may stay deferred, from its first deferral in the pass or round. */
  readonly maxDeferralMs: number;
  readonly round?: string;
  /** The provider that gave the outcome (recorded in the entry); absent when none could be tried. */
  readonly provider?: string;
  readonly now?: Date;
}

/**
 * Whether an outcome uses one of the recipient's MAX_ATTEMPTS. Not when no transaction could be
 * made or the provider failed at its own end (refused or lost connection, timeout, TLS, AUTH, a
 * throttling reply), nor when every breaker was open: that is an outage, which says nothing about
 * the recipient, and is bounded by the maximum deferral age instead. A transient answer about the
 * recipient or the message (greylisting, mailbox full) counts, like every final outcome.
 */
export function countsAsAttempt(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'unavailable') return false;
  return !providerAtFault(outcome);
}

/** Attempts that counted in this pass or round (a new round starts from zero). */
function previousPassAttempts(context: AttemptContext): number {
  const previous = context.previous;
  if (!previous || previous.round !== context.round) return 0;
  return previous.passAttempts ?? previous.attempts;
}

/**
 * When the recipient was first deferred in this pass or round; undefined when it is not deferred.
 * Entries written before `deferredSince` existed fall back to their `at`: the last deferral, so
 * such a recipient ages out a little later than it would have, never sooner.
 */
export function deferredSince(context: Pick<AttemptContext, 'previous' | 'round'>): string | undefined {
  const previous = context.previous;
  if (!previous || previous.state !== 'deferred' || previous.round !== context.round) return undefined;
  return previous.deferredSince ?? previous.at;
}

/** `24`, `0.5`, `0.001`: hours as an operator wrote them, for a failure reason. */
export function formatHours(ms: number): string {
  return `${Number((ms / 3_600_000).toPrecision(6))} h`;
}

/**
 * The ledger entry for one attempt. A transient failure (or no provider to try) stays `deferred`
 * until the recipient has used its last counted attempt ("retries exhausted") or has been deferred
 * for longer than the maximum age ("deferred for more than 24 h"), then becomes `failed` with the
 * last error. An ambiguous outcome (no reply to the end of DATA: perhaps delivered) fails for good,
 * never to be sent again. Returns `previous` itself when there is nothing new to record: no
 * provider could be tried for a recipient already deferred, and it has not aged out.
 */
export function toLedgerEntry(email: string, outcome: AttemptOutcome, context: AttemptContext): LedgerEntry {
  const previous = context.previous;
  const now = context.now ?? new Date();
  const tried = outcome.kind !== 'unavailable';
  const common = {
    email,
    attempts: (previous?.attempts ?? 0) + (tried ? 1 : 0),
    passAttempts: previousPassAttempts(context) + (countsAsAttempt(outcome) ? 1 : 0),
    at: now.toISOString(),
    ...(context.round !== undefined ? { round: context.round } : {}),
    ...(context.provider !== undefined ? { provider: context.provider } : {}),
  };
  switch (outcome.kind) {
    case 'accepted':
      return { state: 'accepted', code: outcome.code, ...common };
    case 'permanent':
      return { state: 'failed', code: outcome.code, reason: outcome.reason, permanent: true, ...common };
    case 'ambiguous':
      // `permanent`: a re-send round (retry-failed) must not send it again either.
      return { state: 'failed', reason: outcome.reason, permanent: true, ...common };
    case 'transient':
    case 'unavailable': {
      const since = deferredSince(context);
      const agedOut = since !== undefined && now.getTime() - Date.parse(since) >= context.maxDeferralMs;
      // No provider to try and nothing new: the entry already says deferred, with a better reason.
      if (outcome.kind === 'unavailable' && since !== undefined && !agedOut) return previous!;
      // With no provider to try, the last SMTP error of this deferral says more than "breakers open".
      const { code, reason } =
        outcome.kind === 'transient'
          ? outcome
          : since !== undefined
            ? { code: previous?.code, reason: previous?.reason ?? outcome.reason }
            : { code: undefined, reason: outcome.reason };
      if (countsAsAttempt(outcome) && common.passAttempts >= context.maxAttempts) {
        return { state: 'failed', code, reason: `retries exhausted: ${reason}`, permanent: false, ...common };
      }
      if (agedOut) {
        const limit = formatHours(context.maxDeferralMs);
        return { state: 'failed', code, reason: `deferred for more than ${limit}: ${reason}`, permanent: false, deferredSince: since, ...common };
      }
      return { state: 'deferred', code, reason, deferredSince: since ?? common.at, ...common };
    }
  }
}

/** The ledger entry of a recipient skipped because the address is suppressed. */
export function suppressedEntry(email: string, context: Pick<AttemptContext, 'previous' | 'round' | 'now'>): LedgerEntry {
  return {
    state: 'suppressed',
    email,
    attempts: context.previous?.attempts ?? 0,
    reason: 'suppressed',
    at: (context.now ?? new Date()).toISOString(),
    ...(context.round !== undefined ? { round: context.round } : {}),
  };
}
