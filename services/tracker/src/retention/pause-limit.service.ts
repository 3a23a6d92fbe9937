import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Events, pausedForMs, type NewsletterCancelledEvent, type NewsletterRecord } from '@mailroom/contracts';
import { EventPublisher, NewsletterControls, NewsletterRecords, ParkedBatches } from '@mailroom/jetstream';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { LeaderPeriodicJob } from '../leadership/leader-periodic-job';
import { NewsletterIndex } from '../leadership/newsletter-index';
import { TrackerLeadership } from '../leadership/tracker-leadership.service';

/**
 * Runs on the leading tracker: a newsletter paused longer than PAUSE_LIMIT_MS, all its pauses
 * added up, is cancelled, as a caller's cancel would (its parked batches go back on the queue
 * and the senders drop them, counted as cancelled; it settles as `cancelled` with its final
 * counts and `newsletter.completed`), with `cancelReason` `pause_limit`.
 *
 * Why a bound: what a batch sent before its pause is known from the delivery ledger, whose
 * entries are kept 30 days from their write. A batch resumed after its entries expired would be
 * sent again to everyone in it. A pause of weeks is kept (the parked stream and the controls have
 * no max_age), but not past the point where resuming could send anyone twice.
 *
 * Order: the record first (compare-and-set: only while still paused and past the limit, so a
 * resume or a caller's cancel in between wins, and a resume after it meets `cancelling` and is
 * refused), then the control (the senders stop parking and drop), then the parked batches, then
 * the event the tracker settles and announces on. A leader that stops half-way leaves a
 * `cancelling` record whose control is not cancelled: the next look finishes it.
 */
@Injectable()
export class PauseLimit implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PauseLimit.name);
  private readonly job: LeaderPeriodicJob;
  private readonly cancelled: Counter;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly leadership: TrackerLeadership,
    private readonly index: NewsletterIndex,
    private readonly records: NewsletterRecords,
    private readonly controls: NewsletterControls,
    private readonly parked: ParkedBatches,
    private readonly publisher: EventPublisher,
    metrics: MetricsRegistry,
  ) {
    this.job = new LeaderPeriodicJob({
      name: 'Pause limit look',
      // A tenth of the limit, at most a minute: a newsletter is cancelled at most that long after it.
      everyMs: Math.min(60_000, Math.max(100, Math.floor(this.config.pauseLimitMs / 10))),
      run: () => this.look(),
      logger: this.logger,
    });
    this.cancelled = metrics.counter({
      name: 'mailroom_newsletters_pause_limit_total',
      help: 'Paused newsletters cancelled because they stayed paused longer than PAUSE_LIMIT_MS (all pauses added up); leading tracker only',
    });
  }

  onModuleInit(): void {
    this.job.attach(this.leadership);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.shutdown();
  }

  private async look(): Promise<void> {
    if (!this.index.ready) return;
    const cancelledNow = new Set<string>();
    for (const id of this.index.withStatus('paused')) {
      if (!this.leadership.isLeader) return;
      const record = await this.records.get(id);
      if (record?.status === 'paused' && this.pastLimit(record, Date.now()) && (await this.cancel(id))) cancelledNow.add(id);
    }
    for (const id of this.index.withStatus('cancelling')) {
      if (!this.leadership.isLeader) return;
      // The control just set may not have reached this process's live view yet.
      if (cancelledNow.has(id) || this.controls.stateOf(id) === 'cancelled') continue;
      const record = await this.records.get(id);
      if (record?.status === 'cancelling' && record.cancelReason === 'pause_limit') {
        this.logger.warn({ newsletterId: id }, 'Pause-limit cancel found half-done; finishing it');
        await this.stopSending(id, record.cancelRequestedAt ?? record.updatedAt);
      }
    }
  }

  private pastLimit(record: NewsletterRecord, now: number): boolean {
    // A record paused by an older version has no pausedAt: its pause control says when it began.
    const control = this.controls.controlOf(record.id);
    const since = control?.state === 'paused' ? control.at : undefined;
    return pausedForMs(record, now, since) >= this.config.pauseLimitMs;
  }

  /** True when this call cancelled it. */
  private async cancel(id: string): Promise<boolean> {
    const at = new Date().toISOString();
    const result = await this.records.cancelPaused(id, at, 'pause_limit', (record) => this.pastLimit(record, Date.parse(at)));
    if (result.kind !== 'updated') return false;
    this.cancelled.inc();
    this.logger.warn(
      { newsletterId: id, pausedMs: result.value.pausedMs, pauseLimitMs: this.config.pauseLimitMs },
      'Newsletter paused longer than PAUSE_LIMIT_MS cancelled',
    );
    await this.stopSending(id, at);
    return true;
  }

  /** What a caller's cancel does after its record change (the gateway's NewsletterControlService). */
  private async stopSending(id: string, at: string): Promise<void> {
    const generation = await this.controls.set(id, 'cancelled');
    await this.parked.resume(id, generation);
    const event: NewsletterCancelledEvent = { newsletterId: id, occurredAt: at };
    await this.publisher.publish(Events.NewsletterCancelled, event, { msgId: `${id}:cancelled` });
  }
}
