import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BatchBitset,
  Events,
  eventFilter,
  eventOfSubject,
  isFinal,
  openRound,
  type DeadLetterEvent,
  type NewsletterRecord,
} from '@mailroom/contracts';
import { NatsClient, STORES, casUpdate, pageStream, type Page, type Stores } from '@mailroom/jetstream';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/api-errors';

export interface DeadLetterView {
  /** Use in `POST /v1/dead-letters/:id/redrive`. */
  readonly id: number;
  readonly event: string | null;
  readonly newsletterId: string | null;
  readonly reason: string;
  readonly deliveries: number;
  readonly originalSubject: string;
  readonly originalStream: string;
  readonly deadAt: string;
}

export interface Redrive {
  readonly id: number;
  readonly subject: string;
  readonly round?: string;
}

const decoder = new TextDecoder();

/**
 * Lists dead letters and puts one back. A re-driven batch runs as a re-send round of its
 * newsletter (its recipients were counted as failed; the ledger keeps anyone already reached from
 * getting it twice); a re-driven newsletter request re-opens its failed newsletter.
 */
@Injectable()
export class DeadLettersService {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    private readonly nats: NatsClient,
    @Inject(STORES) private readonly stores: Stores,
  ) {}

  list(after: number, limit: number): Promise<Page<DeadLetterView>> {
    const t = this.nats.topology;
    return pageStream(
      this.nats.js,
      { stream: t.streams.deadLetters, filterSubject: eventFilter(t, Events.DeadLettered), after, limit },
      (message) => this.view(message.seq, JSON.parse(decoder.decode(message.data)) as DeadLetterEvent),
    );
  }

  async redrive(id: number): Promise<Redrive> {
    const t = this.nats.topology;
    const stored = await this.nats.jsm.streams.getMessage(t.streams.deadLetters, { seq: id }).catch(() => null);
    if (!stored) throw new NotFoundError(`No dead letter with id ${id}`);
    const letter = JSON.parse(decoder.decode(stored.data)) as DeadLetterEvent;
    const event = eventOfSubject(t, letter.originalSubject);
    const body =
      letter.encoding === 'utf8' ? letter.payload : Buffer.from(letter.payload, 'base64').toString('latin1');

    let payload = body;
    let round: string | undefined;
    if (event === Events.BatchReady) {
      ({ payload, round } = await this.prepareBatch(id, body));
    } else if (event === Events.NewsletterRequested && letter.newsletterId) {
      await this.reopenRequest(letter.newsletterId);
    }
    await this.nats.js.publish(letter.originalSubject, payload, { msgID: `redrive:${letter.originalStream}:${letter.originalSequence}:${id}` });
    await this.nats.jsm.streams.deleteMessage(t.streams.deadLetters, id, false);
    this.logger.log({ deadLetter: id, subject: letter.originalSubject, newsletterId: letter.newsletterId, round }, 'Dead letter re-driven');
    return { id, subject: letter.originalSubject, ...(round ? { round } : {}) };
  }

  private async prepareBatch(id: number, body: string): Promise<{ payload: string; round: string }> {
    let batch: Record<string, unknown>;
    try {
      batch = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw new UnprocessableError(`Dead letter ${id} is not a readable batch (its body is not JSON); it cannot be re-driven`);
    }
    if (typeof batch['newsletterId'] !== 'string' || typeof batch['batchIndex'] !== 'number') {
      throw new UnprocessableError(`Dead letter ${id} is not a readable batch (no newsletterId or batchIndex); it cannot be re-driven`);
    }
    const round = `redrive-${id}`;
    const batchIndex = batch['batchIndex'];
    const deadRound = typeof batch['round'] === 'string' ? batch['round'] : undefined;
    let counted = true;
    const result = await casUpdate<NewsletterRecord>(this.stores.newsletters, batch['newsletterId'], (record) => {
      // The tracker counts a dead batch (its recipients as failed) before it can be put back;
      // re-driving earlier would leave the first count missing for good.
      const bits = deadRound ? record.rounds[deadRound]?.counted ?? '' : record.countedBatches;
      counted = BatchBitset.decode(bits).has(batchIndex);
      return counted ? openRound(record, round, new Date(), { requireSettled: false, batches: 1 }) : null;
    });
    if (result.kind === 'missing') throw new NotFoundError(`The newsletter of dead letter ${id} no longer exists`);
    if (!counted) throw new ConflictError(`Dead letter ${id} is not counted yet; try again in a few seconds`);
    return { payload: JSON.stringify({ ...batch, round, occurredAt: new Date().toISOString() }), round };
  }

  /** A dead newsletter request failed its newsletter; putting it back makes it queued again. */
  private async reopenRequest(newsletterId: string): Promise<void> {
    await casUpdate<NewsletterRecord>(this.stores.newsletters, newsletterId, (record) => {
      if (!isFinal(record.status) || record.batches.total !== null) return null;
      const { error: _error, ...rest } = record;
      return { ...rest, status: 'queued', completedAt: null, updatedAt: new Date().toISOString() };
    });
  }

  private view(seq: number, letter: DeadLetterEvent): DeadLetterView {
    return {
      id: seq,
      event: eventOfSubject(this.nats.topology, letter.originalSubject) ?? null,
      newsletterId: letter.newsletterId ?? null,
      reason: letter.reason,
      deliveries: letter.deliveries,
      originalSubject: letter.originalSubject,
      originalStream: letter.originalStream,
      deadAt: letter.deadAt,
    };
  }
}
