import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NEWSLETTER_STATUSES, isFinal, type NewsletterRecord, type NewsletterStatus } from '@mailroom/contracts';
import { NewsletterRecords, type LiveView } from '@mailroom/jetstream';
import { TrackerLeadership } from './tracker-leadership.service';

interface Summary {
  readonly status: NewsletterStatus;
  readonly updatedAtMs: number;
  /** When it settled (epoch ms); null while under way. */
  readonly completedAtMs: number | null;
  /** When it started sending (epoch ms); null before. */
  readonly startedAtMs: number | null;
  readonly test: boolean;
  readonly sent: number;
  readonly bounced: number;
  readonly complained: number;
}

/** What `feedbackOfRecent` gives per newsletter. */
export interface NewsletterFeedback {
  readonly id: string;
  readonly sent: number;
  readonly bounced: number;
  readonly complained: number;
}

/**
 * The leader's view of every newsletter's status and last change, followed live from the
 * newsletter records (a watch: one message per record change, no scan per scrape). It backs
 * `mailroom_newsletters{status}` and tells the watchdog which newsletters have not moved. Open
 * only while this replica leads.
 */
@Injectable()
export class NewsletterIndex implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NewsletterIndex.name);
  private readonly summaries = new Map<string, Summary>();
  private readonly counts = new Map<NewsletterStatus, number>();
  private live?: LiveView<Summary>;
  private opening?: Promise<void>;

  constructor(
    private readonly records: NewsletterRecords,
    private readonly leadership: TrackerLeadership,
  ) {}

  onModuleInit(): void {
    this.leadership.onChange((leading) => (leading ? this.open() : this.close()));
  }

  onApplicationShutdown(): void {
    this.close();
  }

  /** Loaded and following (this replica leads). */
  get ready(): boolean {
    return this.live !== undefined;
  }

  /** Newsletters per status, every status included (0 when none). */
  countsByStatus(): ReadonlyMap<NewsletterStatus, number> {
    return new Map(NEWSLETTER_STATUSES.map((status) => [status, this.counts.get(status) ?? 0]));
  }

  /** Ids of the `sending` newsletters whose record has not changed since `before` (epoch ms). */
  sendingUnchangedSince(before: number): string[] {
    const ids: string[] = [];
    for (const [id, summary] of this.summaries) {
      if (summary.status === 'sending' && summary.updatedAtMs <= before) ids.push(id);
    }
    return ids;
  }

  /** Ids of the settled newsletters that settled at or before `cutoff` (epoch ms). */
  settledBefore(cutoff: number): string[] {
    const ids: string[] = [];
    for (const [id, summary] of this.summaries) {
      if (isFinal(summary.status) && summary.completedAtMs !== null && summary.completedAtMs <= cutoff) ids.push(id);
    }
    return ids;
  }

  /** Sent, bounced and complained of the newsletters (not test sends) that started at or after `since` (epoch ms). */
  feedbackOfRecent(since: number): NewsletterFeedback[] {
    const recent: NewsletterFeedback[] = [];
    for (const [id, s] of this.summaries) {
      if (!s.test && s.startedAtMs !== null && s.startedAtMs >= since) recent.push({ id, sent: s.sent, bounced: s.bounced, complained: s.complained });
    }
    return recent;
  }

  /** Whether the newsletter has a record (as loaded and followed). */
  has(id: string): boolean {
    return this.summaries.has(id);
  }

  /** Ids of the newsletters in `status` now. */
  withStatus(status: NewsletterStatus): string[] {
    return [...this.summaries].filter(([, summary]) => summary.status === status).map(([id]) => id);
  }

  private async open(): Promise<void> {
    if (this.live || this.opening) return this.opening;
    this.opening = this.records
      .follow(summarize, (id, summary) => this.apply(id, summary))
      .then((live) => {
        // Leadership may have been lost while the bucket was loading.
        if (this.leadership.isLeader) this.live = live;
        else this.discard(live);
      })
      .catch((error: unknown) => {
        this.logger.error({ error: (error as Error).message }, 'Newsletter index could not be loaded');
        this.clear();
      })
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  private close(): void {
    if (this.live) this.discard(this.live);
    this.live = undefined;
  }

  private discard(live: LiveView<Summary>): void {
    live.close();
    this.clear();
  }

  private clear(): void {
    this.summaries.clear();
    this.counts.clear();
  }

  private apply(id: string, summary: Summary | undefined): void {
    const previous = this.summaries.get(id);
    if (previous) this.counts.set(previous.status, (this.counts.get(previous.status) ?? 1) - 1);
    if (summary) {
      this.summaries.set(id, summary);
      this.counts.set(summary.status, (this.counts.get(summary.status) ?? 0) + 1);
    } else {
      this.summaries.delete(id);
    }
  }
}

function summarize(record: NewsletterRecord): Summary {
  return {
    status: record.status,
    updatedAtMs: Date.parse(record.updatedAt),
    completedAtMs: record.completedAt ? Date.parse(record.completedAt) : null,
    startedAtMs: record.startedAt ? Date.parse(record.startedAt) : null,
    test: record.test,
    sent: record.sent,
    bounced: record.bounced ?? 0,
    complained: record.complained ?? 0,
  };
}
