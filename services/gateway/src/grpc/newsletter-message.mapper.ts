import type { NewsletterView } from '@mailroom/contracts';
import type { FailureView } from '../failures/failures.service';
import type {
  FailureMessage,
  NewsletterMessage,
  NewsletterStatusMessage,
  SendNewsletterRequestMessage,
} from './newsletters.messages';

/** Between the gRPC messages and the shapes the HTTP API and the services use. */

/** A status this contract version does not know yet (a newer tracker) maps to UNSPECIFIED. */
export function toStatusMessage(status: string): NewsletterStatusMessage {
  const name = `NEWSLETTER_STATUS_${status.toUpperCase()}`;
  return (STATUS_NAMES as readonly string[]).includes(name) ? (name as NewsletterStatusMessage) : 'NEWSLETTER_STATUS_UNSPECIFIED';
}

const STATUS_NAMES: readonly NewsletterStatusMessage[] = [
  'NEWSLETTER_STATUS_QUEUED',
  'NEWSLETTER_STATUS_SPLITTING',
  'NEWSLETTER_STATUS_SENDING',
  'NEWSLETTER_STATUS_COMPLETED',
  'NEWSLETTER_STATUS_COMPLETED_WITH_FAILURES',
  'NEWSLETTER_STATUS_FAILED',
  'NEWSLETTER_STATUS_SCHEDULED',
  'NEWSLETTER_STATUS_PAUSED',
  'NEWSLETTER_STATUS_CANCELLED',
];

export function toNewsletterMessage(view: NewsletterView): NewsletterMessage {
  return {
    id: view.id,
    status: toStatusMessage(view.status),
    total: view.total,
    sent: view.sent,
    failed: view.failed,
    suppressed: view.suppressed,
    pending: view.pending,
    duplicates: view.duplicates,
    batches: {
      ...(view.batches.total !== null ? { total: view.batches.total } : {}),
      completed: view.batches.completed,
      deadLettered: view.batches.deadLettered,
    },
    rounds: view.rounds.map((round) => ({
      id: round.id,
      ...(round.batches !== null ? { batches: round.batches } : {}),
      completed: round.completed,
      requestedAt: round.requestedAt,
    })),
    createdAt: view.createdAt,
    completedAt: view.completedAt ?? '',
    error: view.error ?? '',
    startedAt: view.startedAt ?? '',
    ratePerSecond: view.ratePerSecond,
    ...(view.etaSeconds !== null ? { etaSeconds: view.etaSeconds } : {}),
    cancelled: view.cancelled,
    sendAt: view.sendAt ?? '',
    test: view.test,
  };
}

export function toFailureMessage(failure: FailureView): FailureMessage {
  return {
    email: failure.email,
    batchIndex: failure.batchIndex,
    code: failure.code ?? 0,
    reason: failure.reason,
    permanent: failure.permanent,
    attempts: failure.attempts,
    at: failure.at,
  };
}

/**
 * The request as the HTTP API's body would carry it, for the same validation (CreateNewsletterDto)
 * and the same field paths in errors. proto3 cannot tell "" or 0 from "not given", so those are
 * left out and the HTTP defaults apply; the idempotency key travels separately.
 */
export function toCreateNewsletterBody(request: SendNewsletterRequestMessage): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const copy = (key: 'subject' | 'html' | 'text' | 'from' | 'webhookUrl' | 'listId' | 'sendAt') => {
    if (request[key]) body[key] = request[key];
  };
  copy('subject');
  copy('html');
  copy('text');
  copy('from');
  copy('webhookUrl');
  copy('listId');
  copy('sendAt');
  // A repeated field cannot be "not given": with a list_id, no recipients means none were meant.
  if (!request.listId || (request.recipients ?? []).length > 0) {
    body['recipients'] = (request.recipients ?? []).map((r) => ({
      email: r.email ?? '',
      ...(r.name ? { name: r.name } : {}),
      ...(r.vars && Object.keys(r.vars).length > 0 ? { vars: r.vars } : {}),
    }));
  }
  if (request.batchSize) body['batchSize'] = request.batchSize;
  if (request.ratePerSecond) body['ratePerSecond'] = request.ratePerSecond;
  return body;
}
