import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsRegistry, type Gauge } from '@mailroom/observability';
import { NewsletterIndex } from '../leadership/newsletter-index';

/**
 * `mailroom_newsletters{status}`: how many newsletters are in each status (kept for the retention
 * period). Exported by the leading tracker only, from its live index (no scan per scrape); the
 * other replicas export no series, so `sum()` counts each newsletter once whatever the replica count.
 */
@Injectable()
export class NewsletterStatusCollector implements OnModuleInit {
  private gauge!: Gauge<'status'>;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly index: NewsletterIndex,
  ) {}

  onModuleInit(): void {
    this.gauge = this.metrics.gauge({
      name: 'mailroom_newsletters',
      help: 'Newsletters by status (scheduled, queued, splitting, sending, paused, cancelling, completed, completed_with_failures, failed, cancelled); leading tracker only',
      labelNames: ['status'],
      collect: () => this.refresh(),
    });
  }

  private refresh(): void {
    // Not leading, or still loading: no series rather than zeros that a sum would add in.
    if (!this.index.ready) return this.gauge.reset();
    for (const [status, count] of this.index.countsByStatus()) this.gauge.set({ status }, count);
  }
}
