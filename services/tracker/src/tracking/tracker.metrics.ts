import { Injectable } from '@nestjs/common';
import { MetricsRegistry, type Counter } from '@mailroom/observability';

/** Bounded label values of `mailroom_emails_failed_total{reason}`. */
export const FAILURE_REASONS = ['permanent', 'retries_exhausted', 'invalid_address', 'dead_lettered'] as const;

/** Bounded label values of `mailroom_engagement_total{kind}`. */
export const ENGAGEMENT_METRIC_KINDS = ['open', 'click', 'machine_open', 'unsubscribe'] as const;

/** Delivery aggregates, counted once per batch result (never twice for a redelivered one). */
@Injectable()
export class TrackerMetrics {
  readonly emailsSent: Counter;
  readonly emailsFailed: Counter<'reason'>;
  readonly emailsSuppressed: Counter;
  readonly batchesCompleted: Counter;
  readonly newslettersFinished: Counter<'status'>;
  readonly deadLetters: Counter<'stream'>;
  readonly recipientsFeedback: Counter<'kind'>;
  readonly engagement: Counter<'kind' | 'unique'>;

  constructor(metrics: MetricsRegistry) {
    this.emailsSent = metrics.counter({
      name: 'mailroom_emails_sent_total',
      help: 'Emails accepted by the SMTP server',
    });
    this.emailsFailed = metrics.counter({
      name: 'mailroom_emails_failed_total',
      help: 'Recipients that finally failed, by reason: permanent (5xx), retries_exhausted, invalid_address, dead_lettered',
      labelNames: ['reason'],
    });
    for (const reason of FAILURE_REASONS) this.emailsFailed.inc({ reason }, 0);
    this.emailsSuppressed = metrics.counter({
      name: 'mailroom_emails_suppressed_total',
      help: 'Recipients skipped because the address is on the suppression list',
    });
    this.deadLetters = metrics.counter({
      name: 'mailroom_dead_letters_total',
      help: 'Messages that could not be processed and went to the dead-letter stream, by original stream',
      labelNames: ['stream'],
    });
    // Series exist from the start (at 0), so rate() and increase() have a baseline.
    for (const stream of ['requests', 'batches', 'events']) this.deadLetters.inc({ stream }, 0);
    this.batchesCompleted = metrics.counter({
      name: 'mailroom_batches_completed_total',
      help: 'Batches whose final outcome was recorded',
    });
    this.recipientsFeedback = metrics.counter({
      name: 'mailroom_recipients_feedback_total',
      help: 'Recipients who bounced for good after acceptance (bounce_hard) or complained (complaint), each counted once per newsletter; divide by mailroom_emails_sent_total for the rates',
      labelNames: ['kind'],
    });
    for (const kind of ['bounce_hard', 'complaint']) this.recipientsFeedback.inc({ kind }, 0);
    this.engagement = metrics.counter({
      name: 'mailroom_engagement_total',
      help:
        'Opens and clicks of tracked newsletters, and unsubscribes through their links, as the tracker counts them, by kind (open; click; ' +
        'machine_open: an open by a machine, a mail privacy proxy or a scanner; unsubscribe) and unique (true: the recipient\'s first of that kind, ' +
        "what the newsletter's opens, clicks, machineOpens and unsubscribes count; an unsubscribe is always unique)",
      labelNames: ['kind', 'unique'],
    });
    for (const kind of ENGAGEMENT_METRIC_KINDS) {
      // An unsubscribe counts once per recipient or not at all: no unique="false" series.
      for (const unique of kind === 'unsubscribe' ? ['true'] : ['true', 'false']) this.engagement.inc({ kind, unique }, 0);
    }
    this.newslettersFinished = metrics.counter({
      name: 'mailroom_newsletters_finished_total',
      help: 'Newsletters that reached a final status',
      labelNames: ['status'],
    });
  }
}
