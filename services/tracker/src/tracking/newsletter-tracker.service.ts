import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Events,
  isFinal,
  tenantOf,
  toNewsletterView,
  type BatchCompletedEvent,
  type BatchProgressedEvent,
  type EngagementRecordedEvent,
  type FeedbackReceivedEvent,
  type DeadLetterEvent,
  type FinalStatus,
  type NewsletterCancelledEvent,
  type NewsletterCompletedEvent,
  type NewsletterProgressedEvent,
  type NewsletterRecord,
  type NewsletterRoundStartedEvent,
  type NewsletterSplitEvent,
  type NewsletterSplitFailedEvent,
  type NewsletterSplitStartedEvent,
  type NewsletterStatusReply,
  type NewsletterView,
  type UnsubscribeRecordedEvent,
} from '@mailroom/contracts';
import { DeliveryLedger, EventPublisher, NewsletterRecords, type NewsletterChange } from '@mailroom/jetstream';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { DeadBatchAccounting } from './dead-batch-accounting';
import { TrackerMetrics } from './tracker.metrics';

/**
 * Counts events into newsletter records (NewsletterRecords: how each event changes a record) and
 * announces what follows: progress steps, settled newsletters, the metrics.
 */
@Injectable()
export class NewsletterTracker {
  private readonly logger = new Logger(NewsletterTracker.name);

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly records: NewsletterRecords,
    private readonly publisher: EventPublisher,
    private readonly metrics: TrackerMetrics,
    private readonly deadBatches: DeadBatchAccounting,
    private readonly ledger: DeliveryLedger,
  ) {}

  /**
   * A hard bounce or a complaint traced to a recipient (feedback service): counted once per
   * recipient and kind. The ledger entry is marked first, then the record counted, so a crash in
   * between loses that one count rather than counting a report twice. A soft bounce (the message
   * may still arrive) is not counted here: the feedback service counts those per address.
   */
  async feedbackReceived(event: FeedbackReceivedEvent): Promise<void> {
    if (event.kind === 'bounce' && event.bounceType !== 'hard') return;
    const mark = await this.ledger.markFeedback(event.newsletterId, event.batchIndex, event.email, event.kind, event.occurredAt);
    if (mark === 'repeat') return;
    const result = await this.apply(event.newsletterId, this.records.countFeedback(event.newsletterId, event.kind, event.occurredAt));
    if (result.kind !== 'missing') this.metrics.recipientsFeedback.inc({ kind: event.kind === 'complaint' ? 'complaint' : 'bounce_hard' });
  }

  /**
   * An open or a click of a tracked newsletter (gateway). Each recipient counts once in `opens`,
   * `machineOpens` and `clicks`: the recipient's ledger entry is marked first (`engagement`; a
   * machine open marks `machineOpen`, never `open`), then the record counted, as for feedback. Every
   * click counts in `clicksTotal`, once: it is claimed in the ledger (a marker per click, named by
   * its URL and time as the gateway's msgID is) before it is counted, so a redelivered or
   * re-published event finds its claim and counts nothing. A crash between a mark or claim and the
   * count loses that count rather than counting twice. A recipient without a ledger entry (past its
   * retention) counts in `clicksTotal` only: nothing says whether it is their first. A click also
   * counts for its link (`links`): every click, and the recipient once per link, claimed in the
   * ledger like the click (a marker per recipient and link). Nothing here settles a newsletter: the
   * record changes without announcing anything.
   */
  async engagementRecorded(event: EngagementRecordedEvent): Promise<void> {
    const { newsletterId, batchIndex, email, occurredAt } = event;
    const kind = event.kind === 'click' ? 'click' : event.machine === true ? 'machineOpen' : 'open';
    const url = event.url ?? '';
    const mark = await this.ledger.markEngagement(newsletterId, batchIndex, email, kind, occurredAt);
    if (kind === 'click' && !(await this.ledger.claimClick(newsletterId, batchIndex, email, url, occurredAt))) return;
    const link = kind === 'click' ? { url, first: await this.ledger.claimLink(newsletterId, batchIndex, email, url) } : undefined;
    const first = mark === 'first';
    if (first || kind === 'click') {
      const result = await this.records.countEngagement(newsletterId, { kind, first, ...(link ? { link } : {}) });
      if (result.kind === 'missing') {
        // Old mail is opened for years; its record is gone once past its retention.
        this.logger.debug({ newsletterId }, 'Engagement with an unknown newsletter ignored');
        return;
      }
    }
    this.metrics.engagement.inc({ kind: kind === 'machineOpen' ? 'machine_open' : kind, unique: String(first) });
  }

  /**
   * A recipient unsubscribed through the newsletter's link, which suppressed their address (the
   * gateway publishes only then). Counted in `unsubscribes` once per recipient and newsletter: the
   * unsubscribe is claimed in the ledger first (a marker per newsletter and address), then counted,
   * so a redelivered or re-published event counts nothing and a crash in between loses that one
   * count. Announces nothing, like engagement.
   */
  async unsubscribeRecorded(event: UnsubscribeRecordedEvent): Promise<void> {
    if (!(await this.ledger.claimUnsubscribe(event.newsletterId, event.email))) return;
    const result = await this.records.countUnsubscribe(event.newsletterId);
    if (result.kind === 'missing') {
      this.logger.debug({ newsletterId: event.newsletterId }, 'Unsubscribe from an unknown newsletter ignored');
      return;
    }
    this.metrics.engagement.inc({ kind: 'unsubscribe', unique: 'true' });
  }

  async splitStarted(event: NewsletterSplitStartedEvent): Promise<void> {
    await this.apply(event.newsletterId, this.records.startSplit(event.newsletterId, event.occurredAt));
  }

  async split(event: NewsletterSplitEvent): Promise<void> {
    const result = await this.apply(event.newsletterId, this.records.countSplit(event));
    if (result.kind !== 'updated') return;
    if (event.invalid > 0) this.metrics.emailsFailed.inc({ reason: 'invalid_address' }, event.invalid);
    if (event.suppressed > 0) this.metrics.emailsSuppressed.inc(event.suppressed);
  }

  async splitFailed(event: NewsletterSplitFailedEvent): Promise<void> {
    await this.apply(event.newsletterId, this.records.failSplit(event));
  }

  /**
   * The gateway asked for a cancel: the record is `cancelling` (settled by the batches still to
   * report, or the deadline), or `cancelled` already (a scheduled one), then announced here.
   */
  async cancelled(event: NewsletterCancelledEvent): Promise<void> {
    await this.apply(event.newsletterId, this.records.current(event.newsletterId));
  }

  /** A cancelling newsletter's deadline passed (the leader looks): settled with the counts as they stand. */
  async cancelDeadlinePassed(id: string): Promise<void> {
    const result = await this.apply(id, this.records.settleCancelAtDeadline(id, new Date().toISOString()));
    if (result.kind === 'updated') {
      const { batches } = result.previous;
      this.logger.warn({ newsletterId: id, batches }, 'Cancel deadline passed with batches unaccounted for; newsletter settled as cancelled');
    }
  }

  async roundStarted(event: NewsletterRoundStartedEvent): Promise<void> {
    await this.apply(event.newsletterId, this.records.countRoundStarted(event));
  }

  async batchCompleted(event: BatchCompletedEvent): Promise<void> {
    const result = await this.apply(event.newsletterId, this.records.countBatch(event.newsletterId, event));
    if (result.kind !== 'updated') return;
    this.countDelivery(event.sent, event.suppressed);
    // In a round the failures were counted already, on the first pass.
    if (event.round !== undefined) return;
    const permanent = event.failures.filter((f) => f.permanent).length;
    if (permanent > 0) this.metrics.emailsFailed.inc({ reason: 'permanent' }, permanent);
    if (event.failed - permanent > 0) this.metrics.emailsFailed.inc({ reason: 'retries_exhausted' }, event.failed - permanent);
  }

  /** How far a batch in a sender's hands has got: shown at once, replaced by its result. */
  async batchProgressed(event: BatchProgressedEvent): Promise<void> {
    await this.apply(event.newsletterId, this.records.countBatchProgress(event));
  }

  /** A message that could not be processed: what it meant for its newsletter still counts. */
  async deadLettered(letter: DeadLetterEvent, streamRole: string): Promise<void> {
    this.metrics.deadLetters.inc({ stream: streamRole });
    if (streamRole === 'batches') {
      const batch = this.deadBatches.parse(letter);
      if (!batch) {
        this.logger.error({ newsletterId: letter.newsletterId, reason: letter.reason }, 'Unreadable dead batch: its newsletter cannot be counted');
        return;
      }
      const counts = await this.deadBatches.count(batch, letter.reason, letter.deadAt);
      const result = await this.apply(batch.newsletterId, this.records.countBatch(batch.newsletterId, counts, true));
      if (result.kind === 'updated') {
        this.countDelivery(counts.sent, counts.suppressed);
        if (counts.failed > 0) this.metrics.emailsFailed.inc({ reason: 'dead_lettered' }, counts.failed);
      }
      return;
    }
    if (streamRole === 'requests' && letter.newsletterId) {
      const id = letter.newsletterId;
      const reason = `dead-lettered: ${letter.reason}`;
      if (letter.originalSubject.endsWith(Events.NewsletterRetryRequested)) {
        const round = this.roundOf(letter);
        if (round) await this.apply(id, this.records.countRoundStarted({ newsletterId: id, occurredAt: letter.deadAt, round, batches: 0, recipients: 0 }));
        return;
      }
      await this.apply(id, this.records.failSplit({ newsletterId: id, occurredAt: letter.deadAt, reason }));
    }
  }

  async status(id: string): Promise<NewsletterStatusReply> {
    const record = await this.records.get(id);
    return record ? { found: true, newsletter: toNewsletterView(record), tenant: tenantOf(record) } : { found: false };
  }

  private roundOf(letter: DeadLetterEvent): string | undefined {
    try {
      const round = (JSON.parse(letter.payload) as { round?: unknown }).round;
      return typeof round === 'string' ? round : undefined;
    } catch {
      return undefined;
    }
  }

  private countDelivery(sent: number, suppressed: number): void {
    this.metrics.batchesCompleted.inc();
    if (sent > 0) this.metrics.emailsSent.inc(sent);
    if (suppressed > 0) this.metrics.emailsSuppressed.inc(suppressed);
  }

  /** Awaits a change of the record, then announces what it means (progress, a settled newsletter). */
  private async apply(id: string, change: Promise<NewsletterChange>): Promise<NewsletterChange> {
    const result = await change;
    if (result.kind === 'missing') {
      // The record is written before any event is published; without it the newsletter was
      // removed (or expired), and there is nothing left to count into.
      this.logger.warn({ newsletterId: id }, 'Event for an unknown newsletter ignored');
      return result;
    }
    if (result.kind === 'updated' && !isFinal(result.value.status)) await this.announceProgress(result.previous, result.value);
    if (isFinal(result.value.status)) {
      if (result.kind === 'updated' && !isFinal(result.previous.status)) {
        this.metrics.newslettersFinished.inc({ status: result.value.status });
        this.logger.log(
          { newsletterId: id, status: result.value.status, sent: result.value.sent, failed: result.value.failed },
          'Newsletter finished',
        );
      }
      // Published on every event that finds the newsletter final (msgID dedup keeps one), so a
      // crash between the record update and this publish is repaired by the redelivery.
      await this.announce(result.value);
    }
    return result;
  }

  /** Publishes `newsletter.progressed` when the settled share crosses a step (10 %, 20 % …; 100 % is `completed`). */
  private async announceProgress(previous: NewsletterRecord, record: NewsletterRecord): Promise<void> {
    const step = this.config.progressStepPercent;
    const total = record.total;
    if (step === 0 || total === null || total === 0) return;
    const percentOf = (r: NewsletterRecord) => Math.floor(((r.sent + r.failed + r.suppressed) * 100) / total / step) * step;
    const percent = percentOf(record);
    if (percent <= percentOf(previous) || percent <= 0 || percent >= 100) return;
    const event: NewsletterProgressedEvent & EngagementCounts = {
      newsletterId: record.id,
      occurredAt: record.updatedAt,
      percent,
      total,
      sent: record.sent,
      failed: record.failed,
      suppressed: record.suppressed,
      bounced: record.bounced ?? 0,
      complained: record.complained ?? 0,
      ...engagementCounts(record),
    };
    await this.publisher.publish(Events.NewsletterProgressed, event, { msgId: `${record.id}:progress:${percent}` });
  }

  private async announce(record: NewsletterRecord): Promise<void> {
    const event: NewsletterCompletedEvent & EngagementCounts = {
      newsletterId: record.id,
      occurredAt: record.completedAt ?? record.updatedAt,
      status: record.status as FinalStatus,
      total: record.total ?? record.submitted,
      sent: record.sent,
      failed: record.failed,
      suppressed: record.suppressed,
      bounced: record.bounced ?? 0,
      complained: record.complained ?? 0,
      ...engagementCounts(record),
      ...(record.status === 'cancelled' && record.cancelReason ? { cancelReason: record.cancelReason } : {}),
    };
    // One announcement per settlement: the first pass, then once after each re-send round.
    const generation = Object.keys(record.rounds).length;
    await this.publisher.publish(Events.NewsletterCompleted, event, { msgId: `${record.id}:completed:${generation}` });
  }
}

/**
 * The engagement counts, carried by `newsletter.progressed` and `newsletter.completed` (and so by
 * their webhooks) beside `bounced` and `complained`, as the view has them (declared, optional, by
 * NewsletterCountsEvent; the webhook sends what the event carries). Clicks per link are not: they
 * are in GET and gRPC only, not in every progress step.
 */
type EngagementCounts = Required<Pick<NewsletterView, 'opens' | 'clicks' | 'clicksTotal' | 'machineOpens' | 'unsubscribes'>>;

function engagementCounts(record: NewsletterRecord): EngagementCounts {
  return {
    opens: record.opens ?? 0,
    clicks: record.clicks ?? 0,
    clicksTotal: record.clicksTotal ?? 0,
    machineOpens: record.machineOpens ?? 0,
    unsubscribes: record.unsubscribes ?? 0,
  };
}
