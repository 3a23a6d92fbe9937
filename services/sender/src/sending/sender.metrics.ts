import { Injectable } from '@nestjs/common';
import { MetricsRegistry, type Counter, type Histogram } from '@mailroom/observability';

/** What this sender did; the tracker owns the per-newsletter aggregates. Labels stay bounded: no addresses, no newsletter ids. */
@Injectable()
export class SenderMetrics {
  readonly attempts: Counter<'outcome' | 'provider'>;
  readonly sendSeconds: Histogram<'outcome'>;
  readonly rateLimitWaitSeconds: Histogram<'limit'>;
  readonly batches: Counter<'result'>;

  constructor(metrics: MetricsRegistry) {
    this.attempts = metrics.counter({
      name: 'mailroom_sender_smtp_attempts_total',
      help: 'SMTP transactions by outcome (accepted, transient, permanent, ambiguous: no reply to the end of DATA) and provider',
      labelNames: ['outcome', 'provider'],
    });
    this.sendSeconds = metrics.histogram({
      name: 'mailroom_smtp_send_duration_seconds',
      help: 'Time of one SMTP attempt, waits for a connection and rate-limit tokens included (outcome unavailable: every breaker open)',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.rateLimitWaitSeconds = metrics.histogram({
      name: 'mailroom_rate_limit_wait_seconds',
      help: 'Time one send waited for its rate-limit token: limit="newsletter" (the newsletter cap) or "provider" (a free connection and the provider token)',
      labelNames: ['limit'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    });
    this.batches = metrics.counter({
      name: 'mailroom_sender_batches_total',
      help: 'Batch deliveries handled, by result (completed, retry, parked: newsletter paused, cancelled, set_aside: its newsletter held more than its window)',
      labelNames: ['result'],
    });
  }
}
