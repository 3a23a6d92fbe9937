import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NewsletterRecords } from '@mailroom/jetstream';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { NewsletterIndex } from '../leadership/newsletter-index';
import { LeaderPeriodicJob } from '../leadership/leader-periodic-job';
import { TrackerLeadership } from '../leadership/tracker-leadership.service';
import { NewsletterTracker } from '../tracking/newsletter-tracker.service';

/**
 * Runs on the leading tracker: a `cancelling` newsletter whose cancel is older than
 * CANCEL_DEADLINE_MS is settled as `cancelled` with the counts as they stand (a batch that never
 * reports must not keep it open for ever). Looks every tenth of the deadline (at most 30 s), so
 * it settles at most that much after the deadline.
 */
@Injectable()
export class CancelDeadline implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CancelDeadline.name);
  private readonly job: LeaderPeriodicJob;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly leadership: TrackerLeadership,
    private readonly index: NewsletterIndex,
    private readonly records: NewsletterRecords,
    private readonly tracker: NewsletterTracker,
  ) {
    this.job = new LeaderPeriodicJob({
      name: 'Cancel deadline look',
      everyMs: Math.min(30_000, Math.max(100, Math.floor(this.config.cancelDeadlineMs / 10))),
      run: () => this.look(),
      logger: this.logger,
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
    const now = Date.now();
    for (const id of this.index.withStatus('cancelling')) {
      if (!this.leadership.isLeader) return;
      const record = await this.records.get(id);
      if (record?.status !== 'cancelling') continue;
      const askedAt = Date.parse(record.cancelRequestedAt ?? record.updatedAt);
      if (now - askedAt >= this.config.cancelDeadlineMs) await this.tracker.cancelDeadlinePassed(id);
    }
  }
}
