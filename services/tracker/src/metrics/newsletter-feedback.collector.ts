import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsRegistry, type Gauge } from '@mailroom/observability';
import { NewsletterIndex } from '../leadership/newsletter-index';

/** Newsletters that started within this long are exported: the label set stays bounded by a week of sends. */
export const FEEDBACK_METRIC_WINDOW_MS = 7 * 86_400_000;

/**
 * `mailroom_newsletter_recipients{newsletter, outcome}` (sent, bounced, complained) of every
 * newsletter that started in the last 7 days, test sends left out: what the per-newsletter
 * complaint and bounce rate rules divide. A newsletter label, unlike every other metric here,
 * because the rate that mailbox providers judge is per campaign; bounded by the window. Leading
 * tracker only, from its live index (no scan per scrape).
 */
@Injectable()
export class NewsletterFeedbackCollector implements OnModuleInit {
  private gauge!: Gauge<'newsletter' | 'outcome'>;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly index: NewsletterIndex,
  ) {}

  onModuleInit(): void {
    this.gauge = this.metrics.gauge({
      name: 'mailroom_newsletter_recipients',
      help: 'Recipients of each newsletter started in the last 7 days (test sends left out) by outcome: sent, bounced (hard, after acceptance), complained; leading tracker only',
      labelNames: ['newsletter', 'outcome'],
      collect: () => this.refresh(),
    });
  }

  private refresh(): void {
    // Newsletters that left the window (or the index) drop out: the gauge is rebuilt each scrape.
    this.gauge.reset();
    if (!this.index.ready) return;
    for (const n of this.index.feedbackOfRecent(Date.now() - FEEDBACK_METRIC_WINDOW_MS)) {
      this.gauge.set({ newsletter: n.id, outcome: 'sent' }, n.sent);
      this.gauge.set({ newsletter: n.id, outcome: 'bounced' }, n.bounced);
      this.gauge.set({ newsletter: n.id, outcome: 'complained' }, n.complained);
    }
  }
}
