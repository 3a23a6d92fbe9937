import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NewsletterRecords } from '@mailroom/jetstream';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { NewsletterIndex } from '../leadership/newsletter-index';
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
  private timer?: NodeJS.Timeout;
  private looking?: Promise<void>;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly leadership: TrackerLeadership,
    private readonly index: NewsletterIndex,
    private readonly records: NewsletterRecords,
    private readonly tracker: NewsletterTracker,
  ) {}

  onModuleInit(): void {
    this.leadership.onChange((leading) => (leading ? this.start() : this.stop()));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    await this.looking;
  }

  private start(): void {
    clearInterval(this.timer);
    const everyMs = Math.min(30_000, Math.max(100, Math.floor(this.config.cancelDeadlineMs / 10)));
    this.timer = setInterval(() => this.lookOnce(), everyMs);
    this.timer.unref();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private lookOnce(): void {
    if (this.looking) return;
    this.looking = this.look()
      .catch((error: unknown) => this.logger.error({ error: (error as Error).message }, 'Cancel deadline look failed'))
      .finally(() => (this.looking = undefined));
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
