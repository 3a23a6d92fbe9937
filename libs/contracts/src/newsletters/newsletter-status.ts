export const NEWSLETTER_STATUSES = [
  'scheduled',
  'queued',
  'splitting',
  'sending',
  'paused',
  // Cancel asked for: nothing new starts; batches already in a sender's hands finish or are
  // dropped, then it settles as `cancelled` with its final counts (or at the deadline).
  'cancelling',
  'completed',
  'completed_with_failures',
  'failed',
  'cancelled',
] as const;
export type NewsletterStatus = (typeof NEWSLETTER_STATUSES)[number];

/** A newsletter in one of these states will not change any more. */
export const FINAL_STATUSES = ['completed', 'completed_with_failures', 'failed', 'cancelled'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export function isFinal(status: NewsletterStatus): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/**
 * Why a newsletter was cancelled by Mailroom itself (`cancelReason` of the record, the view and
 * `newsletter.completed`); absent when a caller cancelled it. `pause_limit`: it stayed paused
 * longer than the tracker's PAUSE_LIMIT_MS in all (the delivery ledger that keeps a resumed batch
 * from sending anyone twice is kept 30 days).
 */
export const CANCEL_REASONS = ['pause_limit'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
