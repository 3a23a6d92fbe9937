import type { NewsletterView } from '@mailroom/contracts';
import type { FailureView } from '../failures/failures.service';
import type { Complete } from './complete-message';
import type { Batches } from './generated/mailroom/v1/Batches';
import type { Failure } from './generated/mailroom/v1/Failure';
import type { LinkClicks } from './generated/mailroom/v1/LinkClicks';
import type { Newsletter } from './generated/mailroom/v1/Newsletter';
import { NewsletterStatus, type NewsletterStatus__Output } from './generated/mailroom/v1/NewsletterStatus';
import type { Round } from './generated/mailroom/v1/Round';
import type { SendNewsletterRequest__Output } from './generated/mailroom/v1/SendNewsletterRequest';

/** Between the gRPC messages (generated/, from the .proto) and the shapes the HTTP API and the services use. */

const STATUS_NAMES: readonly string[] = Object.values(NewsletterStatus);

/** A status this contract version does not know yet (a newer tracker) maps to UNSPECIFIED. */
export function toStatusMessage(status: string): NewsletterStatus__Output {
  const name = `NEWSLETTER_STATUS_${status.toUpperCase()}`;
  return STATUS_NAMES.includes(name) ? (name as NewsletterStatus__Output) : NewsletterStatus.NEWSLETTER_STATUS_UNSPECIFIED;
}

export function toNewsletterMessage(view: NewsletterView): Complete<Newsletter> {
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
    } satisfies Complete<Batches>,
    rounds: view.rounds.map(
      (round): Complete<Round> => ({
        id: round.id,
        ...(round.batches !== null ? { batches: round.batches } : {}),
        completed: round.completed,
        requestedAt: round.requestedAt,
      }),
    ),
    createdAt: view.createdAt,
    completedAt: view.completedAt ?? '',
    error: view.error ?? '',
    startedAt: view.startedAt ?? '',
    ratePerSecond: view.ratePerSecond,
    ...(view.etaSeconds !== null ? { etaSeconds: view.etaSeconds } : {}),
    cancelled: view.cancelled,
    sendAt: view.sendAt ?? '',
    test: view.test,
    priority: view.priority,
    bounced: view.bounced,
    complained: view.complained,
    // A tracker older than engagement tracking answers without them.
    opens: view.opens ?? 0,
    clicks: view.clicks ?? 0,
    clicksTotal: view.clicksTotal ?? 0,
    machineOpens: view.machineOpens ?? 0,
    unsubscribes: view.unsubscribes ?? 0,
    links: (view.links ?? []).map(
      (link): Complete<LinkClicks> => ({ url: link.url ?? '', clicks: link.clicks, recipients: link.recipients, other: link.url === null }),
    ),
    cancelReason: view.cancelReason ?? '',
  };
}

export function toFailureMessage(failure: FailureView): Complete<Failure> {
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
export function toCreateNewsletterBody(request: SendNewsletterRequest__Output): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const copy = (key: 'subject' | 'html' | 'text' | 'from' | 'webhookUrl' | 'listId' | 'sendAt' | 'replyTo' | 'priority') => {
    if (request[key]) body[key] = request[key];
  };
  copy('subject');
  copy('html');
  copy('text');
  copy('from');
  copy('webhookUrl');
  copy('listId');
  copy('sendAt');
  copy('replyTo');
  copy('priority');
  // A map cannot be "not given" either: empty means no custom headers.
  if (request.headers && Object.keys(request.headers).length > 0) body['headers'] = request.headers;
  // A repeated field cannot be "not given": with a list_id, no recipients means none were meant.
  if (!request.listId || request.recipients.length > 0) {
    body['recipients'] = request.recipients.map((r) => ({
      email: r.email ?? '',
      ...(r.name ? { name: r.name } : {}),
      ...(r.vars && Object.keys(r.vars).length > 0 ? { vars: r.vars } : {}),
    }));
  }
  if (request.batchSize) body['batchSize'] = request.batchSize;
  if (request.ratePerSecond) body['ratePerSecond'] = request.ratePerSecond;
  // A message field can be absent: then the deployment's default applies; given, both flags are.
  if (request.tracking) body['tracking'] = { opens: request.tracking.opens, clicks: request.tracking.clicks };
  if (request.recipientWebhooks) body['recipientWebhooks'] = true;
  return body;
}
