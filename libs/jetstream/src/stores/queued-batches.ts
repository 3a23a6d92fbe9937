import { Injectable } from '@nestjs/common';
import { JetStreamApiError } from '@nats-io/jetstream';
import { Events, eventFilter, eventSubject, type BatchReadyEvent } from '@mailroom/contracts';
import { bySubjectKey } from './subject-counts';
import { JetStreamConnection } from '../connection/jetstream-connection';

/** One of a newsletter's batch messages, read from the batches stream without consuming it. */
export interface QueuedBatch {
  readonly seq: number;
  /** When the stream stored it (epoch ms). */
  readonly storedAt: number;
  readonly batch: BatchReadyEvent;
}

export interface NewsletterQueue {
  /**
   * Messages the senders' consumer has already handed out at least once (stream sequence at or
   * below its last delivered one), oldest first: in a sender's hands, waiting for a redelivery,
   * or stranded.
   */
  readonly handedOut: readonly QueuedBatch[];
  /** Messages beyond the consumer's position: they will be handed out in turn. */
  readonly waiting: number;
}

const decoder = new TextDecoder();

/**
 * A newsletter's messages in the batches work queue (stream `<ns>-batches`, one subject per
 * newsletter), looked at from outside the consumer. A work queue allows no second consumer
 * overlapping the senders' unfiltered one, so the messages are read by direct get
 * (`next_by_subj` on the newsletter's own subject), which 2.9 answers. Publishing goes through
 * EventPublisher (`batch.ready`); the senders' consumer takes them.
 */
@Injectable()
export class QueuedBatches {
  constructor(private readonly nats: JetStreamConnection) {}

  async scan(newsletterId: string): Promise<NewsletterQueue> {
    const t = this.nats.topology;
    const subject = eventSubject(t, Events.BatchReady, newsletterId);
    // The consumer's position first: a message at or below it was handed out before we looked.
    const deliveredSeq = await this.deliveredSeq();
    const info = await this.nats.quick.streams.info(t.streams.batches, { subjects_filter: subject });
    const total = info.state.subjects?.[subject] ?? 0;
    const handedOut: QueuedBatch[] = [];
    let seq = info.state.first_seq;
    while (handedOut.length < total) {
      // `next_by_subj` is answered by 2.9's STREAM.MSG.GET; the client's type only lists the direct-get form.
      const query = { seq, next_by_subj: subject } as unknown as { seq: number };
      const stored = await this.nats.quick.streams.getMessage(t.streams.batches, query);
      if (!stored || stored.seq > deliveredSeq) break;
      seq = stored.seq + 1;
      const batch = parseBatch(stored.data);
      // Unreadable: the senders dead-letter it; nothing for a watchdog to re-drive.
      if (batch) handedOut.push({ seq: stored.seq, storedAt: stored.time.getTime(), batch });
    }
    return { handedOut, waiting: Math.max(0, total - handedOut.length) };
  }

  /**
   * Messages in the queue per newsletter id: waiting, or in a sender's hands (a work queue keeps a
   * message until it is acknowledged). One stream-info request for every newsletter at once.
   */
  async countsByNewsletter(): Promise<Map<string, number>> {
    const t = this.nats.topology;
    const info = await this.nats.quick.streams.info(t.streams.batches, { subjects_filter: eventFilter(t, Events.BatchReady) });
    return bySubjectKey(info.state.subjects);
  }

  /**
   * Calls `listener` with the newsletter id whenever a batch of the namespace completes
   * (`batch.completed`, any newsletter), until the returned function is called. A core subscription: best effort, for
   * waking someone early who also looks on a timer (a message missed while reconnecting is not replayed).
   */
  onBatchCompleted(listener: (newsletterId: string | undefined) => void): () => void {
    const sub = this.nats.connection.subscribe(eventFilter(this.nats.topology, Events.BatchCompleted), {
      callback: (_error, msg) => {
        let newsletterId: string | undefined;
        try {
          const id = (JSON.parse(decoder.decode(msg.data)) as { newsletterId?: unknown }).newsletterId;
          newsletterId = typeof id === 'string' ? id : undefined;
        } catch {
          newsletterId = undefined;
        }
        listener(newsletterId);
      },
    });
    return () => sub.unsubscribe();
  }

  /** Drops every batch of the newsletter still waiting (it was cancelled: they will never be sent). */
  async discard(newsletterId: string): Promise<void> {
    const t = this.nats.topology;
    await this.nats.jsm.streams.purge(t.streams.batches, { filter: eventSubject(t, Events.BatchReady, newsletterId) });
  }

  /** Removes one message (a stranded original, once its copy is queued). False when already gone. */
  async remove(seq: number): Promise<boolean> {
    return this.nats.jsm.streams.deleteMessage(this.nats.topology.streams.batches, seq, false).catch(() => false);
  }

  private async deliveredSeq(): Promise<number> {
    const t = this.nats.topology;
    try {
      return (await this.nats.quick.consumers.info(t.streams.batches, t.consumers.sender)).delivered.stream_seq;
    } catch (error) {
      // No sender has ever started: nothing was handed out.
      if (error instanceof JetStreamApiError && error.status === 404) return 0;
      throw error;
    }
  }
}

function parseBatch(data: Uint8Array): BatchReadyEvent | undefined {
  try {
    const body = JSON.parse(decoder.decode(data)) as Partial<BatchReadyEvent>;
    if (typeof body.newsletterId !== 'string' || typeof body.batchIndex !== 'number' || !Array.isArray(body.recipients)) return undefined;
    return body as BatchReadyEvent;
  } catch {
    return undefined;
  }
}
