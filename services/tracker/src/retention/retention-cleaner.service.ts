import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ContentStore, NewsletterRecords, settledBefore } from '@mailroom/jetstream';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { NewsletterIndex } from '../leadership/newsletter-index';
import { LeaderPeriodicJob } from '../leadership/leader-periodic-job';
import { TrackerLeadership } from '../leadership/tracker-leadership.service';

/**
 * Runs on the leading tracker: every RETENTION_SWEEP_MS it removes the newsletters that settled
 * more than NEWSLETTER_RETENTION_MS ago: first their stored content (so a crash in between leaves
 * a record to try again, never content without a record), then the record (compare-and-set: one
 * reopened meanwhile by a retry stays). The newsletters bucket and the content store have no
 * bucket-wide max_age: retention counts from the end of a newsletter, not from its submit, so a
 * newsletter scheduled far ahead is still there at its sendAt.
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
      if (await this.records.removeSettledBefore(id, cutoff)) removed += 1;
    }
    if (removed > 0) {
      this.removed.inc(removed);
      this.logger.log({ removed, retentionMs: this.config.retention.afterSettledMs }, 'Settled newsletters past their retention removed');
    }
  }
}
