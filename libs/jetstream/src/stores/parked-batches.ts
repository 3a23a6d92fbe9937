import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DeliverPolicy } from '@nats-io/jetstream';
import { Events, eventFilter, eventSubject, type BatchReadyEvent } from '@mailroom/contracts';
import { bySubjectKey } from './subject-counts';
import { JetStreamConnection } from '../connection/jetstream-connection';
import { NewsletterControls } from './newsletter-controls';

const decoder = new TextDecoder();

/**
 * Batches waiting outside the batch queue, in the `parked` stream (`<ns>-parked`, one subject per
 * newsletter, value = the JSON batch as it was queued): those of paused newsletters, and those a
 * newsletter's split held back for its turn (the queue holds at most BATCH_WINDOW batches of each
 * newsletter, so that newsletters sent at once take turns). A sender parks, the splitter holds;
 * a sender also holds again a batch it set aside (its newsletter had more than its window);
 * the splitter's dispatcher releases them into the queue a window at a time while the newsletter
 * is not paused; the gateway (on cancel: the senders then drop them, counted) and the parking
 * sender itself (when the resume or cancel overtook it) put them all back; the watchdog counts them.
 * The stream has no max_age: a pause holds its batches however long it lasts (the leading tracker
 * bounds a pause, PAUSE_LIMIT_MS), and the retention cleaner removes whatever a removed newsletter
 * left here.
 */
@Injectable()
export class ParkedBatches {
  private readonly logger = new Logger(ParkedBatches.name);

  constructor(
    private readonly nats: JetStreamConnection,
    private readonly controls: NewsletterControls,
  ) {}

  /** Sets a batch aside. If the newsletter was resumed meanwhile, puts it straight back. */
  async park(batch: BatchReadyEvent): Promise<void> {
    const t = this.nats.topology;
    const generation = this.controls.generationOf(batch.newsletterId);
    const ack = await this.nats.js.publish(eventSubject(t, Events.BatchParked, batch.newsletterId), JSON.stringify(batch), {
      msgID: `${batch.newsletterId}:${batch.round ?? 'first'}:b${batch.batchIndex}:park:${generation}`,
    });
    // The resume (or a cancel, whose dropped batches the senders count) may have scanned the
    // parked stream between our check and our publish.
    if (this.controls.stateOf(batch.newsletterId) !== 'paused') {
      await this.putBack(batch, `${generation}-late`);
      await this.nats.jsm.streams.deleteMessage(t.streams.parked, ack.seq, false).catch(() => false);
    }
  }

  /**
   * Holds again a batch a sender stopped because its newsletter had more batches in the senders
   * than its window (see BatchWindowsSignal): the dispatcher lets it in again in its turn, and the
   * recipients it settled are skipped then (the ledger). A msgID per call: the same batch can be
   * set aside more than once. A crash between this and the ack of the original leaves two copies,
   * the second finding everyone settled (as after a crash while parking).
   */
  async holdAgain(batch: BatchReadyEvent): Promise<void> {
    await this.publishHeld(batch, `aside:${randomUUID()}`);
  }

  /** Sets a batch of a newsletter being split aside until the dispatcher lets it in (stream order is send order). */
  async hold(batch: BatchReadyEvent): Promise<void> {
    // Per batch: a split re-run (within the dedup window) holds nothing twice.
    await this.publishHeld(batch, 'held');
  }

  /** Appends the batch to its newsletter's held ones, msgID `<id>:<round>:b<index>:<tag>`. */
  private async publishHeld(batch: BatchReadyEvent, tag: string): Promise<void> {
    await this.nats.js.publish(eventSubject(this.nats.topology, Events.BatchParked, batch.newsletterId), JSON.stringify(batch), {
      msgID: `${batch.newsletterId}:${batch.round ?? 'first'}:b${batch.batchIndex}:${tag}`,
    });
  }

  /** Batches set aside per newsletter id. One stream-info request for every newsletter at once. */
  async countsByNewsletter(): Promise<Map<string, number>> {
    const t = this.nats.topology;
    const info = await this.nats.quick.streams.info(t.streams.parked, { subjects_filter: eventFilter(t, Events.BatchParked) });
    return bySubjectKey(info.state.subjects);
  }

  /**
   * Puts up to `limit` of the newsletter's oldest parked batches on the batch queue, in order;
   * returns how many. Each is published, then removed: a crash in between publishes it again
   * with the same msgID (per stored message), which the batch stream drops as a duplicate.
   */
  async release(newsletterId: string, limit: number): Promise<number> {
    const t = this.nats.topology;
    const subject = eventSubject(t, Events.BatchParked, newsletterId);
    let released = 0;
    let seq = 0;
    while (released < limit) {
      // `next_by_subj` is answered by 2.9's STREAM.MSG.GET (from the leader); the client's type only lists the direct-get form.
      const query = { seq, next_by_subj: subject } as unknown as { seq: number };
      const stored = await this.nats.quick.streams.getMessage(t.streams.parked, query);
      if (!stored) break;
      seq = stored.seq + 1;
      const batch = JSON.parse(decoder.decode(stored.data)) as BatchReadyEvent;
      await this.nats.js.publish(eventSubject(t, Events.BatchReady, newsletterId), stored.data, {
        msgID: `${newsletterId}:${batch.round ?? 'first'}:b${batch.batchIndex}:released:${stored.seq}`,
      });
      await this.nats.quick.streams.deleteMessage(t.streams.parked, stored.seq, false).catch(() => false);
      released += 1;
    }
    return released;
  }

  /** Puts every parked batch of a newsletter back on the batch queue; returns how many. */
  async resume(newsletterId: string, generation: number): Promise<number> {
    const t = this.nats.topology;
    const filter = eventSubject(t, Events.BatchParked, newsletterId);
    const info = await this.nats.quick.streams.info(t.streams.parked, { subjects_filter: filter });
    if ((info.state.subjects?.[filter] ?? 0) === 0) return 0;
    const consumer = await this.nats.js.consumers.get(t.streams.parked, {
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.All,
    });
    let moved = 0;
    let lastSeq = 0;
    try {
      for (;;) {
        const msg = await consumer.next({ expires: 1_000 });
        if (!msg) break;
        await this.putBack(JSON.parse(decoder.decode(msg.data)) as BatchReadyEvent, String(generation));
        moved += 1;
        lastSeq = msg.seq;
        if (msg.info.pending === 0) break;
      }
    } finally {
      await consumer.delete().catch(() => false);
    }
    // Only what was put back is removed: a batch parked after the scan stays for its own put-back.
    if (lastSeq > 0) await this.nats.jsm.streams.purge(t.streams.parked, { filter, seq: lastSeq + 1 });
    this.logger.log({ newsletterId, moved }, 'Parked batches put back');
    return moved;
  }

  /** Batches of the newsletter set aside now (it is, or just was, paused). */
  async count(newsletterId: string): Promise<number> {
    const t = this.nats.topology;
    const subject = eventSubject(t, Events.BatchParked, newsletterId);
    const info = await this.nats.quick.streams.info(t.streams.parked, { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  }

  /** When the newsletter's oldest batch set aside was stored (epoch ms); null when none is. */
  async oldestAt(newsletterId: string): Promise<number | null> {
    const t = this.nats.topology;
    const query = { seq: 0, next_by_subj: eventSubject(t, Events.BatchParked, newsletterId) } as unknown as { seq: number };
    const stored = await this.nats.quick.streams.getMessage(t.streams.parked, query);
    return stored ? stored.time.getTime() : null;
  }

  /** Removes every parked batch of a newsletter (it was cancelled, or removed by the retention cleaner). */
  async discard(newsletterId: string): Promise<void> {
    const t = this.nats.topology;
    await this.nats.jsm.streams.purge(t.streams.parked, { filter: eventSubject(t, Events.BatchParked, newsletterId) });
  }

  private async putBack(batch: BatchReadyEvent, tag: string): Promise<void> {
    await this.nats.js.publish(eventSubject(this.nats.topology, Events.BatchReady, batch.newsletterId), JSON.stringify(batch), {
      msgID: `${batch.newsletterId}:${batch.round ?? 'first'}:b${batch.batchIndex}:resume:${tag}`,
    });
  }
}
