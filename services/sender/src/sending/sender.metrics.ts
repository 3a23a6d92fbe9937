import { Injectable } from '@nestjs/common';
import { MetricsRegistry, type Counter, type Histogram } from '@mailroom/observability';

/** What this sender did; the tracker owns the per-newsletter aggregates. */
@Injectable()
export class SenderMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly sendSeconds: Histogram<'outcome'>;
  readonly batches: Counter<'result'>;

  constructor(metrics: MetricsRegistry) {
    this.attempts = metrics.counter({
      name: 'mailroom_sender_smtp_attempts_total',
      help: 'SMTP transactions by outcome (accepted, transient, permanent)',
      labelNames: ['outcome'],
    });
    this.sendSeconds = metrics.histogram({
      name: 'mailroom_smtp_send_duration_seconds',
      help: 'Time of one SMTP transaction, queueing for a pooled connection included',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.batches = metrics.counter({
      name: 'mailroom_sender_batches_total',
      help: 'Batch deliveries handled, by result (completed, retry)',
      labelNames: ['result'],
    });
  }
}
