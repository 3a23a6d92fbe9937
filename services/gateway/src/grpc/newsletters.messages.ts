/**
 * The messages of libs/contracts/proto/mailroom/v1/newsletters.proto as @grpc/proto-loader hands
 * them over with the options in grpc-server.options.ts: camelCase fields, enums as their names,
 * 64-bit numbers as numbers, and a field the caller did not set absent (`defaults: false`).
 * Keep in step with the .proto (the gRPC end-to-end tests go through every message).
 */

export type NewsletterStatusMessage =
  | 'NEWSLETTER_STATUS_UNSPECIFIED'
  | 'NEWSLETTER_STATUS_QUEUED'
  | 'NEWSLETTER_STATUS_SPLITTING'
  | 'NEWSLETTER_STATUS_SENDING'
  | 'NEWSLETTER_STATUS_COMPLETED'
  | 'NEWSLETTER_STATUS_COMPLETED_WITH_FAILURES'
  | 'NEWSLETTER_STATUS_FAILED'
  | 'NEWSLETTER_STATUS_SCHEDULED'
  | 'NEWSLETTER_STATUS_PAUSED'
  | 'NEWSLETTER_STATUS_CANCELLED';

export interface RecipientMessage {
  readonly email?: string;
  readonly name?: string;
  readonly vars?: Readonly<Record<string, string>>;
}

export interface SendNewsletterRequestMessage {
  readonly subject?: string;
  readonly html?: string;
  readonly text?: string;
  readonly from?: string;
  readonly recipients?: readonly RecipientMessage[];
  readonly batchSize?: number;
  readonly idempotencyKey?: string;
  readonly webhookUrl?: string;
  readonly listId?: string;
  readonly ratePerSecond?: number;
  readonly sendAt?: string;
}

export interface SendNewsletterResponseMessage {
  readonly id: string;
  readonly status: NewsletterStatusMessage;
  readonly replayed: boolean;
}

export interface NewsletterMessage {
  readonly id: string;
  readonly status: NewsletterStatusMessage;
  readonly total: number;
  readonly sent: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly pending: number;
  readonly duplicates: number;
  readonly batches: { readonly total?: number; readonly completed: number; readonly deadLettered: number };
  readonly rounds: ReadonlyArray<{ readonly id: string; readonly batches?: number; readonly completed: number; readonly requestedAt: string }>;
  readonly createdAt: string;
  readonly completedAt: string;
  readonly error: string;
  readonly startedAt: string;
  readonly ratePerSecond: number;
  readonly etaSeconds?: number;
  readonly cancelled: number;
  readonly sendAt: string;
  readonly test: boolean;
}

/** Get, Watch, RetryFailed, Pause, Resume and Cancel all name one newsletter. */
export interface NewsletterIdMessage {
  readonly id?: string;
}

export interface ListFailuresRequestMessage {
  readonly id?: string;
  readonly limit?: number;
  readonly after?: number;
}

export interface FailureMessage {
  readonly email: string;
  readonly batchIndex: number;
  readonly code: number;
  readonly reason: string;
  readonly permanent: boolean;
  readonly attempts: number;
  readonly at: string;
}

export interface ListFailuresResponseMessage {
  readonly items: readonly FailureMessage[];
  readonly next?: number;
}

export interface RetryFailedResponseMessage {
  readonly id: string;
  readonly round: string;
  readonly status: NewsletterStatusMessage;
}
