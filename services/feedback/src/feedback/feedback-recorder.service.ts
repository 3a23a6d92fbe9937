import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Events, recipientEventId, type FeedbackSource } from '@mailroom/contracts';
import { DeliveryLedger, EventPublisher, RecipientEventPublisher } from '@mailroom/jetstream';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { FEEDBACK_CONFIG, type FeedbackConfig } from '../config/feedback.config';
import { attributeProviderEvent, attributeReport, type Attribution, type LedgerLookup, type Unattributed } from '../reports/attribute-report';
import type { ProviderEvent } from '../webhooks/provider-event';
import { readReport, type Report } from '../reports/read-report';

/**
 * Turns a received report into a `feedback.received` event: read, traced to its recipient, then
 * published with msgID `feedback:<hash of the report>` (the same report mailed twice counts once).
 * Resolves only once JetStream stored the event, so the SMTP peer hears 250 only for what is kept.
 */
@Injectable()
export class FeedbackRecorder implements OnModuleInit {
  private readonly logger = new Logger(FeedbackRecorder.name);
  private reports!: Counter<'source' | 'result'>;

  constructor(
    @Inject(FEEDBACK_CONFIG) private readonly config: FeedbackConfig,
    private readonly publisher: EventPublisher,
    private readonly recipientEvents: RecipientEventPublisher,
    private readonly metrics: MetricsRegistry,
    private readonly ledger: DeliveryLedger,
  ) {}

  /** A report that does not name its recipient: the ledger's entries of the signed batch and hash prefix. */
  private readonly ledgerLookup: LedgerLookup = async ({ newsletterId, batchIndex, addressHashPrefix }) =>
    (await this.ledger.recipientsOfBatchWithHashPrefix(newsletterId, batchIndex, addressHashPrefix)).map((r) => r.entry.email);

  onModuleInit(): void {
    this.reports = this.metrics.counter({
      name: 'mailroom_feedback_reports_total',
      help: 'Reports received by the feedback service, by source and what they were (bounce_hard, bounce_soft, complaint) or why they changed nothing',
      labelNames: ['source', 'result'],
    });
  }

  async recordMessage(raw: Buffer, envelopeRecipients: readonly string[], source: FeedbackSource = 'smtp'): Promise<Attribution> {
    // A message mailparser cannot read is not a report we can use: counted, never retried.
    const report = await readReport(raw).catch((): Report => ({ type: 'unrecognised' }));
    const attribution = await attributeReport(report, envelopeRecipients, this.config.tokens, this.ledgerLookup);
    await this.record(attribution, createHash('sha256').update(raw).digest('base64url').slice(0, 32), source);
    return attribution;
  }

  /**
   * The verified events of one provider webhook request, each traced like a report (a token of
   * ours in the event, the event's address with the signed hash) and published with msgID
   * `feedback:<provider>:<event id>`: a webhook retried by the provider counts once. Resolves once
   * every event is stored; throws otherwise (the provider retries the request).
   */
  async recordProviderEvents(events: readonly ProviderEvent[]): Promise<Attribution[]> {
    const results: Attribution[] = [];
    for (const event of events) {
      const attribution = await this.attributeProviderEvent(event);
      await this.record(attribution, eventKey(event), event.source);
      results.push(attribution);
    }
    return results;
  }

  /**
   * Publishes a traced report (msgID `feedback:<reportId>`), and with RECIPIENT_EVENTS its
   * `recipient.bounced` / `recipient.complained` (id from the report id: a report received twice
   * is one event), and counts every report, traced or not.
   */
  private async record(attribution: Attribution, reportId: string, source: FeedbackSource): Promise<void> {
    if (attribution.ok) {
      const { feedback } = attribution;
      const occurredAt = new Date().toISOString();
      await this.publisher.publish(Events.FeedbackReceived, { ...feedback, reportId, source, occurredAt }, { msgId: `feedback:${reportId}` });
      const kind = feedback.kind === 'bounce' ? 'bounced' : 'complained';
      await this.recipientEvents.publish({
        id: recipientEventId(kind, feedback.newsletterId, reportId),
        kind,
        newsletterId: feedback.newsletterId,
        occurredAt,
        email: feedback.email,
        batchIndex: feedback.batchIndex,
        ...(feedback.bounceType !== undefined ? { bounceType: feedback.bounceType } : {}),
        ...(feedback.status !== undefined ? { status: feedback.status } : {}),
        ...(feedback.detail !== undefined ? { detail: feedback.detail } : {}),
      });
      this.logger.log({ newsletterId: feedback.newsletterId, batchIndex: feedback.batchIndex, kind: feedback.kind, bounceType: feedback.bounceType, status: feedback.status, source }, 'Feedback recorded');
    }
    this.reports.inc({ source, result: resultOf(attribution) });
  }

  private async attributeProviderEvent(event: ProviderEvent): Promise<Attribution> {
    if (event.kind === 'other') return { ok: false, reason: 'not_a_failure' satisfies Unattributed };
    const traced = await attributeProviderEvent(event.searchText, event.email, this.config.tokens, this.ledgerLookup);
    if (!traced.ok) return traced;
    const { newsletterId, batchIndex } = traced.claim;
    return {
      ok: true,
      feedback: {
        kind: event.kind,
        ...(event.kind === 'bounce' ? { bounceType: event.bounceType ?? 'soft' } : {}),
        newsletterId,
        batchIndex,
        email: traced.email,
        ...(event.status ? { status: event.status.slice(0, 16) } : {}),
        ...(event.detail ? { detail: event.detail } : {}),
      },
    };
  }
}

/** A provider's event id as a msgID part (ours are [A-Za-z0-9_:.-]); hashed when it has other characters. */
function eventKey(event: ProviderEvent): string {
  const id = /^[A-Za-z0-9_.-]{1,80}$/.test(event.eventId) ? event.eventId : createHash('sha256').update(event.eventId).digest('base64url').slice(0, 32);
  return `${event.source}:${id}`;
}

function resultOf(attribution: Attribution): string {
  if (!attribution.ok) return attribution.reason;
  const { feedback } = attribution;
  return feedback.kind === 'bounce' ? `bounce_${feedback.bounceType ?? 'soft'}` : 'complaint';
}
