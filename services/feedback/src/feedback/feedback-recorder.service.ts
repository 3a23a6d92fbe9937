import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Events, type FeedbackSource } from '@mailroom/contracts';
import { EventPublisher } from '@mailroom/jetstream';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { FEEDBACK_CONFIG, type FeedbackConfig } from '../config/feedback.config';
import { attributeReport, type Attribution } from '../reports/attribute-report';
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
    private readonly metrics: MetricsRegistry,
  ) {}

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
    const attribution = attributeReport(report, envelopeRecipients, this.config.tokens);
    if (attribution.ok) {
      const { feedback } = attribution;
      const reportId = createHash('sha256').update(raw).digest('base64url').slice(0, 32);
      await this.publisher.publish(
        Events.FeedbackReceived,
        { ...feedback, reportId, source, occurredAt: new Date().toISOString() },
        { msgId: `feedback:${reportId}` },
      );
      this.logger.log({ newsletterId: feedback.newsletterId, batchIndex: feedback.batchIndex, kind: feedback.kind, bounceType: feedback.bounceType, status: feedback.status, source }, 'Feedback recorded');
    }
    this.reports.inc({ source, result: resultOf(attribution) });
    return attribution;
  }
}

function resultOf(attribution: Attribution): string {
  if (!attribution.ok) return attribution.reason;
  const { feedback } = attribution;
  return feedback.kind === 'bounce' ? `bounce_${feedback.bounceType ?? 'soft'}` : 'complaint';
}
