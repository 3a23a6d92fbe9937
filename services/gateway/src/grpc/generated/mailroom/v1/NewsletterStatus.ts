// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

export const NewsletterStatus = {
  NEWSLETTER_STATUS_UNSPECIFIED: 'NEWSLETTER_STATUS_UNSPECIFIED',
  NEWSLETTER_STATUS_QUEUED: 'NEWSLETTER_STATUS_QUEUED',
  NEWSLETTER_STATUS_SPLITTING: 'NEWSLETTER_STATUS_SPLITTING',
  NEWSLETTER_STATUS_SENDING: 'NEWSLETTER_STATUS_SENDING',
  /**
   * Settled: everyone accepted.
   */
  NEWSLETTER_STATUS_COMPLETED: 'NEWSLETTER_STATUS_COMPLETED',
  /**
   * Settled: some recipients failed (ListFailures says who and why).
   */
  NEWSLETTER_STATUS_COMPLETED_WITH_FAILURES: 'NEWSLETTER_STATUS_COMPLETED_WITH_FAILURES',
  /**
   * Settled: nothing could be sent (`error` says why).
   */
  NEWSLETTER_STATUS_FAILED: 'NEWSLETTER_STATUS_FAILED',
  /**
   * Waiting for its send_at.
   */
  NEWSLETTER_STATUS_SCHEDULED: 'NEWSLETTER_STATUS_SCHEDULED',
  /**
   * Stopped by PauseNewsletter until ResumeNewsletter.
   */
  NEWSLETTER_STATUS_PAUSED: 'NEWSLETTER_STATUS_PAUSED',
  /**
   * Settled: stopped for good by CancelNewsletter (`cancelled` counts who was not sent to).
   */
  NEWSLETTER_STATUS_CANCELLED: 'NEWSLETTER_STATUS_CANCELLED',
  /**
   * CancelNewsletter was called: batches already being sent finish (or are dropped); then it
   * settles as CANCELLED with its final counts.
   */
  NEWSLETTER_STATUS_CANCELLING: 'NEWSLETTER_STATUS_CANCELLING',
} as const;

export type NewsletterStatus =
  | 'NEWSLETTER_STATUS_UNSPECIFIED'
  | 0
  | 'NEWSLETTER_STATUS_QUEUED'
  | 1
  | 'NEWSLETTER_STATUS_SPLITTING'
  | 2
  | 'NEWSLETTER_STATUS_SENDING'
  | 3
  /**
   * Settled: everyone accepted.
   */
  | 'NEWSLETTER_STATUS_COMPLETED'
  | 4
  /**
   * Settled: some recipients failed (ListFailures says who and why).
   */
  | 'NEWSLETTER_STATUS_COMPLETED_WITH_FAILURES'
  | 5
  /**
   * Settled: nothing could be sent (`error` says why).
   */
  | 'NEWSLETTER_STATUS_FAILED'
  | 6
  /**
   * Waiting for its send_at.
   */
  | 'NEWSLETTER_STATUS_SCHEDULED'
  | 7
  /**
   * Stopped by PauseNewsletter until ResumeNewsletter.
   */
  | 'NEWSLETTER_STATUS_PAUSED'
  | 8
  /**
   * Settled: stopped for good by CancelNewsletter (`cancelled` counts who was not sent to).
   */
  | 'NEWSLETTER_STATUS_CANCELLED'
  | 9
  /**
   * CancelNewsletter was called: batches already being sent finish (or are dropped); then it
   * settles as CANCELLED with its final counts.
   */
  | 'NEWSLETTER_STATUS_CANCELLING'
  | 10

export type NewsletterStatus__Output = typeof NewsletterStatus[keyof typeof NewsletterStatus]
