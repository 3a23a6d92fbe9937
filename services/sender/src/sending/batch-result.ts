import type { BatchCompletedEvent, LedgerEntry } from '@mailroom/contracts';

/**
 * Whether a recipient gets an SMTP attempt in this delivery. Never when the ledger says accepted
 * or suppressed; never for a permanent failure; a transient failure only in a re-send round.
 */
export function needsAttempt(entry: LedgerEntry | undefined, round: string | undefined): boolean {
  if (!entry) return true;
  switch (entry.state) {
    case 'deferred':
      return true;
    case 'failed':
      return round !== undefined && entry.permanent !== true;
    case 'accepted':
    case 'suppressed':
      return false;
  }
}

type Counts = Pick<BatchCompletedEvent, 'sent' | 'failed' | 'suppressed' | 'failures'>;

/**
 * The batch's result once nobody is deferred. On the first pass it counts every recipient. In a
 * re-send round every recipient had been counted as failed before, so `sent` and `suppressed`
 * count only those settled in this round (the tracker moves them out of `failed`).
 */
export function summarize(entries: readonly LedgerEntry[], round: string | undefined): Counts {
  const inScope = (e: LedgerEntry) => round === undefined || e.round === round;
  const failed = entries.filter((e) => e.state === 'failed');
  return {
    sent: entries.filter((e) => e.state === 'accepted' && inScope(e)).length,
    suppressed: entries.filter((e) => e.state === 'suppressed' && inScope(e)).length,
    failed: failed.length,
    failures: failed.map((e) => ({
      email: e.email,
      ...(e.code !== undefined ? { code: e.code } : {}),
      reason: e.reason ?? 'unknown',
      permanent: e.permanent ?? false,
      attempts: e.attempts,
    })),
  };
}
