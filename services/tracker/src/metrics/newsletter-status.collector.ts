import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { NEWSLETTER_STATUSES, type NewsletterRecord } from '@mailroom/contracts';
import { STORES, type Stores } from '@mailroom/jetstream';
import { MetricsRegistry, type Gauge } from '@mailroom/observability';

/** Scans the newsletter records this often at most (a scrape between two scans reuses the last counts). */
const MIN_SCAN_INTERVAL_MS = 10_000;

/** `mailroom_newsletters{status}`: how many newsletters are in each status (kept for the retention period). */
@Injectable()
export class NewsletterStatusCollector implements OnModuleInit {
  private gauge!: Gauge<'status'>;
  private lastScan = 0;
  private scanning?: Promise<void>;

  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(STORES) private readonly stores: Stores,
  ) {}

  onModuleInit(): void {
    this.gauge = this.metrics.gauge({
      name: 'mailroom_newsletters',
      help: 'Newsletters by status (queued, splitting, sending, completed, completed_with_failures, failed)',
      labelNames: ['status'],
      collect: () => this.refresh(),
    });
    for (const status of NEWSLETTER_STATUSES) this.gauge.set({ status }, 0);
  }

  private refresh(): Promise<void> {
    if (Date.now() - this.lastScan < MIN_SCAN_INTERVAL_MS) return Promise.resolve();
    this.scanning ??= this.scan().finally(() => {
      this.lastScan = Date.now();
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private async scan(): Promise<void> {
    const counts = new Map<string, number>(NEWSLETTER_STATUSES.map((s) => [s, 0]));
    try {
      for await (const entry of await this.stores.newsletters.history()) {
        if (entry.operation !== 'PUT') continue;
        const status = entry.json<Pick<NewsletterRecord, 'status'>>().status;
        counts.set(status, (counts.get(status) ?? 0) + 1);
      }
    } catch {
      return;
    }
    for (const [status, count] of counts) this.gauge.set({ status }, count);
  }
}
