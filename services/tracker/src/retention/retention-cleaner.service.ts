import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ContentStore, NewsletterControls, NewsletterRecords, ParkedBatches, settledBefore } from '@mailroom/jetstream';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { NewsletterIndex } from '../leadership/newsletter-index';
import { LeaderPeriodicJob } from '../leadership/leader-periodic-job';
import { TrackerLeadership } from '../leadership/tracker-leadership.service';

/**
 * Runs on the leading tracker: every RETENTION_SWEEP_MS it removes the newsletters that settled
 * more than NEWSLETTER_RETENTION_MS ago: first their stored content, then any batch of theirs left
 * in the parked stream, then their pause/cancel control, and the record last (so a crash in
 * between leaves a record to try again, never content, batches or a control without a record;
 * compare-and-set: one reopened meanwhile by a retry stays). The batches go before the control:
 * without a control a newsletter counts as active, and the dispatcher would let them in.
 *
 * The newsletters bucket, the content store, the parked stream and the controls bucket have no
 * bucket-wide max_age: retention counts from the end of a newsletter, not from its submit or its
 * pause, so a newsletter scheduled far ahead is still there at its sendAt, and a paused one keeps
 * its batches and its pause (bounded by PauseLimit).
 *
 * Also removes controls and parked batches whose newsletter has no record, written more than
 * NEWSLETTER_RETENTION_MS ago (left by a version whose records expired from their submit).
 */
@Injectable()
export class RetentionCleaner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionCleaner.name);
  private readonly removed: Counter;
  private readonly job: LeaderPeriodicJob;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly leadership: TrackerLeadership,
    private readonly index: NewsletterIndex,
    private readonly records: NewsletterRecords,
    private readonly content: ContentStore,
    private readonly parked: ParkedBatches,
    private readonly controls: NewsletterControls,
    metrics: MetricsRegistry,
  ) {
    this.job = new LeaderPeriodicJob({ name: 'Retention sweep', everyMs: this.config.retention.sweepMs, run: () => this.sweep(), logger: this.logger });
    this.removed = metrics.counter({
      name: 'mailroom_newsletters_removed_total',
      help: 'Settled newsletters removed (record and content) once past NEWSLETTER_RETENTION_MS; leading tracker only',
    });
  }

  onModuleInit(): void {
    this.job.attach(this.leadership);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.shutdown();
  }

  private async sweep(): Promise<void> {
    if (!this.index.ready) return;
    const cutoff = Date.now() - this.config.retention.afterSettledMs;
    let removed = 0;
    for (const id of this.index.settledBefore(cutoff)) {
      if (!this.leadership.isLeader) break;
      // Read again: the index may lag a retry that reopened it.
      const record = await this.records.get(id);
      if (!record || !settledBefore(record, cutoff)) continue;
      await this.content.removeNewsletter(id);
      await this.parked.discard(id);
      // Most newsletters were never paused or cancelled: no delete marker for them.
      if (this.controls.controlOf(id) !== undefined) await this.controls.remove(id);
      if (await this.records.removeSettledBefore(id, cutoff)) removed += 1;
    }
    if (removed > 0) {
      this.removed.inc(removed);
      this.logger.log({ removed, retentionMs: this.config.retention.afterSettledMs }, 'Settled newsletters past their retention removed');
    }
    await this.sweepLeftovers(cutoff);
  }

  /** Controls and parked batches of newsletters without a record, all written at or before `cutoff`. */
  private async sweepLeftovers(cutoff: number): Promise<void> {
    const ids = new Set([...this.controls.controlled(), ...(await this.parked.countsByNewsletter()).keys()]);
    let removed = 0;
    for (const id of ids) {
      if (!this.leadership.isLeader) break;
      if (this.index.has(id) || (await this.records.get(id)) !== null) continue;
      const parkedSince = await this.parked.oldestAt(id);
      if (parkedSince !== null && parkedSince > cutoff) continue;
      const control = this.controls.controlOf(id);
      if (control && Date.parse(control.at) > cutoff) continue;
      // Batches first, as above.
      if (parkedSince !== null) await this.parked.discard(id);
      if (control) await this.controls.remove(id);
      removed += 1;
    }
    if (removed > 0) this.logger.warn({ newsletters: removed }, 'Controls and parked batches left without a newsletter record removed');
  }
}
