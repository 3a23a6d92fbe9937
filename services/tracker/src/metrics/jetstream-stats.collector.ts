import { Injectable, type OnModuleInit } from '@nestjs/common';
import { StreamStats } from '@mailroom/jetstream';
import { MetricsRegistry, type Gauge } from '@mailroom/observability';
import { TrackerLeadership } from '../leadership/tracker-leadership.service';

/**
 * Backlog and lag of every durable consumer and the size of every stream of the namespace, read
 * from JetStream at scrape time. Only the leading tracker exports these (one series per consumer,
 * not one per service or tracker replica), so sums in Prometheus stay right.
 */
@Injectable()
export class JetStreamStatsCollector implements OnModuleInit {
  private pending!: Gauge<'consumer'>;
  private ackPending!: Gauge<'consumer'>;
  private redelivered!: Gauge<'consumer'>;
  private waiting!: Gauge<'consumer'>;
  private streamMessages!: Gauge<'stream'>;
  /** The collection of the scrape under way: every gauge of this collector waits for the same one. */
  private collecting?: Promise<void>;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly stats: StreamStats,
    private readonly leadership: TrackerLeadership,
  ) {}

  onModuleInit(): void {
    // Each gauge waits for one shared collection, so a scrape shows this scrape's values on all five.
    const collect = () => {
      this.collecting ??= this.collect().finally(() => (this.collecting = undefined));
      return this.collecting;
    };
    this.pending = this.metrics.gauge({
      name: 'mailroom_consumer_pending_messages',
      help: 'Messages not yet delivered to a durable consumer (its backlog)',
      labelNames: ['consumer'],
      collect,
    });
    this.ackPending = this.metrics.gauge({
      name: 'mailroom_consumer_ack_pending_messages',
      help: 'Messages delivered to a durable consumer and not yet acknowledged',
      labelNames: ['consumer'],
      collect,
    });
    this.redelivered = this.metrics.gauge({
      name: 'mailroom_consumer_redelivered_messages',
      help: 'Messages of a durable consumer delivered more than once and not yet acknowledged',
      labelNames: ['consumer'],
      collect,
    });
    this.waiting = this.metrics.gauge({
      name: 'mailroom_consumer_waiting_pulls',
      help: 'Pull requests waiting on a durable consumer (0: no replica is pulling)',
      labelNames: ['consumer'],
      collect,
    });
    this.streamMessages = this.metrics.gauge({
      name: 'mailroom_stream_messages',
      help: 'Messages stored in each stream of the namespace (dead-letters: letters waiting for an operator)',
      labelNames: ['stream'],
      collect,
    });
  }

  private async collect(): Promise<void> {
    if (!this.leadership.isLeader) {
      // A follower exports no series: the leader's are the namespace's.
      for (const gauge of [this.pending, this.ackPending, this.redelivered, this.waiting, this.streamMessages]) gauge.reset();
      return;
    }
    await Promise.all(
      this.stats.roles.map(async (role) => {
        try {
          const stream = await this.stats.of(role);
          this.streamMessages.set({ stream: role }, stream.messages);
          for (const consumer of stream.consumers) {
            this.pending.set({ consumer: consumer.name }, consumer.pending);
            this.ackPending.set({ consumer: consumer.name }, consumer.ackPending);
            this.redelivered.set({ consumer: consumer.name }, consumer.redelivered);
            this.waiting.set({ consumer: consumer.name }, consumer.waiting);
          }
        } catch {
          // NATS away: keep the last values rather than fail the whole scrape.
        }
      }),
    );
  }
}
