import type { NewsletterStatus } from './newsletter-status';

/** What `GET /v1/newsletters/:id` returns, and what the tracker answers status queries with. */
export interface NewsletterView {
  readonly id: string;
  readonly status: NewsletterStatus;
  /** Unique recipients once the list is split; the submitted count before that. */
  readonly total: number;
  readonly sent: number;
  readonly failed: number;
  /** Skipped: on the suppression list. */
  readonly suppressed: number;
  /** Not sent: the newsletter was cancelled. */
  readonly cancelled: number;
  readonly pending: number;
  readonly duplicates: number;
  readonly batches: { readonly total: number | null; readonly completed: number; readonly deadLettered: number };
  /** Re-send rounds (retry-failed, re-drive) and their progress. */
  readonly rounds: ReadonlyArray<{
    readonly id: string;
    readonly batches: number | null;
    readonly completed: number;
    readonly requestedAt: string;
  }>;
  readonly createdAt: string;
  /** When a scheduled newsletter starts (null: it started at once). */
  readonly sendAt: string | null;
  /** A test send (no list, no suppression list). */
  readonly test: boolean;
  /** When sending started (the split began). */
  readonly startedAt: string | null;
  /** When it settled (also `finishedAt` in spirit; null while running). */
  readonly completedAt: string | null;
  /** Recipients settled per second over the last minute. */
  readonly ratePerSecond: number;
  /** Estimated seconds left at the current rate; null when settled or not moving. */
  readonly etaSeconds: number | null;
  /** Why the newsletter failed as a whole, when it did. */
  readonly error?: string;
}

/** Request and reply of the tracker's status query (core NATS request/reply). */
export interface NewsletterStatusQuery {
  readonly id: string;
}
export type NewsletterStatusReply =
  | { readonly found: true; readonly newsletter: NewsletterView }
  | { readonly found: false };
