import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Events, FeedbackReceivedEvent } from '@mailroom/contracts';
import { GLOBAL_SUPPRESSIONS, HandlesEvent, NewsletterRecords, SoftBounceRecords, SuppressionRecords, tenantSuppressions, type SuppressionScope } from '@mailroom/jetstream';
import { FEEDBACK_CONFIG, type FeedbackConfig } from '../config/feedback.config';

/**
 * A hard bounce or a complaint suppresses the address at once, so no later newsletter reaches it:
 * a bounce on the global list (the address does not exist, whoever mails it), a complaint on the
 * list of the newsletter's tenant (the global one when the record is gone). A soft bounce is
 * counted per address (SoftBounceRecords, once per report); the SOFT_BOUNCE_LIMIT-th within
 * SOFT_BOUNCE_WINDOW_DAYS suppresses it like a hard bounce. Adding is idempotent (the first entry
 * is kept), so a redelivery is safe.
 */
@Controller()
export class SuppressOnFeedbackHandler {
  private readonly logger = new Logger(SuppressOnFeedbackHandler.name);

  constructor(
    @Inject(FEEDBACK_CONFIG) private readonly config: FeedbackConfig,
    private readonly suppressions: SuppressionRecords,
    private readonly newsletters: NewsletterRecords,
    private readonly softBounces: SoftBounceRecords,
  ) {}

  @HandlesEvent(Events.FeedbackReceived)
  async onFeedback(@Payload() event: FeedbackReceivedEvent): Promise<void> {
    let detail = event.kind === 'bounce' ? [event.status, event.detail].filter(Boolean).join(' ') : event.detail;
    if (event.kind === 'bounce' && event.bounceType !== 'hard') {
      const { limit, windowMs } = this.config.softBounces;
      if (limit === 0) return;
      const count = await this.softBounces.add(event.email, { at: event.occurredAt, reportId: event.reportId }, windowMs);
      if (count < limit) return;
      detail = `${count} soft bounces in ${Math.round(windowMs / 86_400_000)} days; last: ${detail ?? 'no detail'}`;
    }
    const reason = event.kind === 'bounce' ? 'bounced' : 'complained';
    const scope = await this.scopeOf(event);
    await this.suppressions.add(
      { email: event.email, reason, at: event.occurredAt, source: event.newsletterId, ...(detail ? { detail: detail.slice(0, 500) } : {}) },
      scope,
    );
    this.logger.log({ newsletterId: event.newsletterId, batchIndex: event.batchIndex, reason, list: scope.kind }, 'Address suppressed after feedback');
  }

  private async scopeOf(event: FeedbackReceivedEvent): Promise<SuppressionScope> {
    if (event.kind === 'bounce') return GLOBAL_SUPPRESSIONS;
    const record = await this.newsletters.get(event.newsletterId);
    return record?.tenant !== undefined ? tenantSuppressions(record.tenant) : GLOBAL_SUPPRESSIONS;
  }
}
