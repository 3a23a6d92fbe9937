import { Injectable } from '@nestjs/common';
import { MetricsRegistry, type Counter, type Gauge } from '@mailroom/observability';

/** How a batch was re-driven: its stranded message put back, or a lost one rebuilt from the list. */
export const REDRIVE_KINDS = ['stranded', 'lost'] as const;
export type RedriveKind = (typeof REDRIVE_KINDS)[number];

@Injectable()
export class WatchdogMetrics {
  /** Counted by the replica that re-drove (the leader at the time): a per-replica fact, summed in Prometheus. */
  readonly redrives: Counter<'kind'>;
  /** Namespace-wide: set by the leader only; the other replicas export no series. */
  readonly stalled: Gauge;

  constructor(metrics: MetricsRegistry) {
    this.redrives = metrics.counter({
      name: 'mailroom_watchdog_redrives_total',
      help: 'Batches the watchdog re-drove, by kind: stranded (its message was put back on the queue), lost (rebuilt from the list)',
      labelNames: ['kind'],
    });
    for (const kind of REDRIVE_KINDS) this.redrives.inc({ kind }, 0);
    this.stalled = metrics.gauge({
      name: 'mailroom_newsletters_stalled',
      help: 'Sending newsletters with batches outstanding and no progress for WATCHDOG_STALL_MS (leading tracker only)',
    });
    this.stalled.remove();
  }
}
