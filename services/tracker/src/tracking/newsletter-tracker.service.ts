import { Injectable, Logger } from '@nestjs/common';
import {
  Events,
  isFinal,
  toNewsletterView,
  type BatchCompletedEvent,
  type FinalStatus,
  type NewsletterCompletedEvent,
  type NewsletterRecord,
  type NewsletterSplitEvent,
  type NewsletterSplitFailedEvent,
  type NewsletterSplitStartedEvent,
  type NewsletterStatusReply,
} from '@mailroom/contracts';
import { EventPublisher } from '@mailroom/jetstream';
import { foldBatchCompleted, foldSplit, foldSplitFailed, foldSplitStarted } from './newsletter-fold';
import { NewsletterRecords, type UpdateResult } from './newsletter-records';
import { TrackerMetrics } from './tracker.metrics';

/** Folds events into newsletter records and announces newsletters that settle. */
@Injectable()
export class NewsletterTracker {
  private readonly logger = new Logger(NewsletterTracker.name);

  constructor(
    private readonly records: NewsletterRecords,
    private readonly publisher: EventPublisher,
    private readonly metrics: TrackerMetrics,
  ) {}

  async splitStarted(event: NewsletterSplitStartedEvent): Promise<void> {
    await this.apply(event.newsletterId, (r) => foldSplitStarted(r, event.occurredAt));
  }

  async split(event: NewsletterSplitEvent): Promise<void> {
    const result = await this.apply(event.newsletterId, (r) => foldSplit(r, event));
    if (result.kind === 'updated' && event.invalid > 0) this.metrics.emailsFailed.inc(event.invalid);
  }

  async splitFailed(event: NewsletterSplitFailedEvent): Promise<void> {
    await this.apply(event.newsletterId, (r) => foldSplitFailed(r, event));
  }

  async batchCompleted(event: BatchCompletedEvent): Promise<void> {
    const result = await this.apply(event.newsletterId, (r) => foldBatchCompleted(r, event));
    if (result.kind !== 'updated') return;
    this.metrics.batchesCompleted.inc();
    if (event.sent > 0) this.metrics.emailsSent.inc(event.sent);
    if (event.failed > 0) this.metrics.emailsFailed.inc(event.failed);
  }

  async status(id: string): Promise<NewsletterStatusReply> {
    const record = await this.records.get(id);
    return record ? { found: true, newsletter: toNewsletterView(record) } : { found: false };
  }

  private async apply(id: string, change: (r: NewsletterRecord) => NewsletterRecord | null): Promise<UpdateResult> {
    const result = await this.records.update(id, change);
    if (result.kind === 'missing') {
      // The record is written before any event is published; without it the newsletter was
      // removed (or expired), and there is nothing left to count into.
      this.logger.warn({ newsletterId: id }, 'Event for an unknown newsletter ignored');
      return result;
    }
    if (isFinal(result.record.status)) {
      if (result.kind === 'updated' && !isFinal(result.previous.status)) {
        this.metrics.newslettersFinished.inc({ status: result.record.status });
        this.logger.log(
          { newsletterId: id, status: result.record.status, sent: result.record.sent, failed: result.record.failed },
          'Newsletter finished',
        );
      }
      // Published on every event that finds the newsletter final (msgID dedup keeps one), so a
      // crash between the record update and this publish is repaired by the redelivery.
      await this.announce(result.record);
    }
    return result;
  }

  private async announce(record: NewsletterRecord): Promise<void> {
    const event: NewsletterCompletedEvent = {
      newsletterId: record.id,
      occurredAt: record.completedAt ?? record.updatedAt,
      status: record.status as FinalStatus,
      total: record.total ?? record.submitted,
      sent: record.sent,
      failed: record.failed,
    };
    await this.publisher.publish(Events.NewsletterCompleted, event, { msgId: `${record.id}:completed` });
  }
}
