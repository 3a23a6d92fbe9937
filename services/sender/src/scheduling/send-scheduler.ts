import { Inject, Injectable } from '@nestjs/common';
import { SEND_LANES, tenantOf, type NewsletterContent, type SendLane } from '@mailroom/contracts';
import { MetricsRegistry, type Counter, type Gauge } from '@mailroom/observability';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';
import { deadline } from '../rate-limits/bounded-wait';
import { FairShareQueue, type ReleaseSlot, type SendTicket } from './fair-share-queue';

/** Content stored before lanes has none: it goes as `normal`. */
export const laneOf = (content: NewsletterContent): SendLane => content.lane ?? 'normal';

/**
 * This sender's share-out of its sending slots between the newsletters in flight (see
 * FairShareQueue), with its metrics by lane. Slots: twice the SMTP connections of all providers
 * together: enough to keep every connection busy while the next sends wait for their tokens, few
 * enough that the order of the queue is the order in which tokens are taken.
 */
@Injectable()
export class SendScheduler {
  private readonly queue: FairShareQueue;
  private readonly sends: Counter<'lane'>;
  private readonly batchesInFlight: Gauge<'lane'>;
  private readonly slotWaitLimitMs: number;

  constructor(@Inject(SENDER_CONFIG) config: SenderConfig, metrics: MetricsRegistry) {
    this.slotWaitLimitMs = config.ackWaitMs;
    this.queue = new FairShareQueue(2 * config.providers.reduce((sum, p) => sum + p.pool.maxConnections, 0));
    const queue = this.queue;
    metrics.gauge({
      name: 'mailroom_sender_sends_waiting',
      help: 'Recipients of batches in flight waiting for a sending slot in this sender, by lane (fast: test sends and one-recipient newsletters; high, normal, low: priority)',
      labelNames: ['lane'],
      collect() {
        for (const lane of SEND_LANES) this.set({ lane }, queue.waiting(lane));
      },
    });
    this.sends = metrics.counter({
      name: 'mailroom_sender_sends_total',
      help: 'Recipients given a sending slot (an SMTP attempt follows), by lane: rate() is the share each lane gets',
      labelNames: ['lane'],
    });
    this.batchesInFlight = metrics.gauge({
      name: 'mailroom_sender_batches_in_flight',
      help: 'Batches this sender is working on, by lane',
      labelNames: ['lane'],
    });
    for (const lane of SEND_LANES) {
      this.sends.inc({ lane }, 0);
      this.batchesInFlight.set({ lane }, 0);
    }
  }

  /**
   * Runs one recipient's send when it is its newsletter's turn. Rejects with the signal's reason
   * if aborted while waiting, and with TokenWaitTimeoutError after an ack wait (the batch goes
   * back to the queue: SENDER_CONCURRENCY is capped so that the batches in flight can be sent
   * within one, so a longer wait means something is stuck).
   */
  async send<T>(newsletterId: string, content: NewsletterContent, signal: AbortSignal, send: () => Promise<T>): Promise<T> {
    const ticket: SendTicket = { newsletterId, tenant: tenantOf(content), lane: laneOf(content) };
    // A free slot is taken without the bounded wait's timer and listener (~2 % of a sender's CPU).
    const release = (signal.aborted ? undefined : this.queue.tryAcquire()) ?? (await this.waitForSlot(ticket, signal));
    this.sends.inc({ lane: ticket.lane });
    try {
      return await send();
    } finally {
      release();
    }
  }

  /** Waits for the ticket's turn, for at most an ack wait (see `send`). */
  private async waitForSlot(ticket: SendTicket, signal: AbortSignal): Promise<ReleaseSlot> {
    const bound = deadline(signal, this.slotWaitLimitMs);
    try {
      return await this.queue.acquire(ticket, bound.signal);
    } finally {
      bound.dispose();
    }
  }

  /** Counts a batch in flight until `done` is called. */
  batchStarted(content: NewsletterContent): () => void {
    const lane = laneOf(content);
    this.batchesInFlight.inc({ lane });
    return () => this.batchesInFlight.dec({ lane });
  }
}
