import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Leadership, type LeaderElection } from '@mailroom/jetstream';
import { MetricsRegistry, type Gauge } from '@mailroom/observability';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';

type Listener = (leading: boolean) => void | Promise<void>;

/**
 * Which tracker replica leads. Work that must happen once for the whole namespace (the
 * namespace-wide gauges, the watchdog) subscribes here and runs only while this replica leads;
 * folding events, status queries and webhooks run on every replica as before.
 */
@Injectable()
export class TrackerLeadership implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TrackerLeadership.name);
  private readonly election: LeaderElection;
  private readonly listeners: Listener[] = [];
  private readonly gauge: Gauge;

  constructor(@Inject(TRACKER_CONFIG) config: TrackerConfig, leadership: Leadership, metrics: MetricsRegistry) {
    this.gauge = metrics.gauge({
      name: 'mailroom_tracker_leader',
      help: '1 on the tracker replica that leads (exports the namespace-wide gauges, runs the watchdog), 0 on the others',
    });
    this.gauge.set(0);
    this.election = leadership.elect({
      role: 'tracker',
      renewMs: config.leaderRenewMs,
      onChange: (leading) => {
        this.gauge.set(leading ? 1 : 0);
        for (const listener of this.listeners) {
          Promise.resolve()
            .then(() => listener(leading))
            .catch((error: unknown) => this.logger.error({ leading, error: (error as Error).message }, 'Leadership change not applied'));
        }
      },
    });
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  /** `listener` hears every change; register before bootstrap. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    this.election.start();
  }

  /** Before NATS drains: the lease is handed back, so another replica takes over at once. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.election.stop();
  }
}
