import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Events,
  isFinal,
  nextRetryRound,
  openRound,
  type FailureEntry,
  type NewsletterRecord,
  type NewsletterRetryRequestedEvent,
} from '@mailroom/contracts';
import { EventPublisher, NatsClient, STORES, casUpdate, pageStream, type Page, type Stores } from '@mailroom/jetstream';
import { ConcurrentUpdateError, ConflictError, NotFoundError, ServiceUnavailableError } from '../http/api-errors';

export interface FailureView extends FailureEntry {
  readonly batchIndex: number;
}

/** Listing a newsletter's failed recipients, and sending to the transiently failed ones again. */
@Injectable()
export class FailuresService {
  private readonly logger = new Logger(FailuresService.name);

  constructor(
    @Inject(STORES) private readonly stores: Stores,
    private readonly nats: NatsClient,
    private readonly publisher: EventPublisher,
  ) {}

  /** One page of failures, in the order they were recorded; `after` is the previous page's `next`. */
  async list(id: string, after: number, limit: number): Promise<Page<FailureView>> {
    await this.record(id);
    const bucket = this.nats.topology.buckets.failures;
    const decoder = new TextDecoder();
    return pageStream(
      this.nats.js,
      { stream: `KV_${bucket}`, filterSubject: `$KV.${bucket}.${id}.*`, after, limit },
      (message) => {
        const operation = message.headers?.get('KV-Operation');
        if (operation === 'DEL' || operation === 'PURGE' || message.data.length === 0) return undefined;
        return JSON.parse(decoder.decode(message.data)) as FailureView;
      },
    );
  }

  /**
   * Opens a re-send round on a settled newsletter and asks the splitter for it. The round is on
   * the record before the request is published, so the status says `sending` at once.
   */
  async retryFailed(id: string): Promise<{ round: string }> {
    const current = await this.record(id);
    if (!isFinal(current.status)) throw new ConflictError(`Newsletter ${id} is still ${current.status}; retry when it has settled`);
    if (current.batches.total === null) throw new ConflictError(`Newsletter ${id} was never split; there is nobody to retry`);
    if (current.failed === 0) throw new ConflictError(`Newsletter ${id} has no failed recipients`);

    let round = '';
    const opened = await casUpdate<NewsletterRecord>(this.stores.newsletters, id, (record) => {
      round = nextRetryRound(record);
      return openRound(record, round);
    });
    if (opened.kind !== 'updated') throw new ConcurrentUpdateError(`Newsletter ${id} changed meanwhile; try again`);

    const event: NewsletterRetryRequestedEvent = { newsletterId: id, occurredAt: new Date().toISOString(), round };
    try {
      await this.publisher.publish(Events.NewsletterRetryRequested, event, { msgId: `${id}:${round}:requested` });
    } catch (error) {
      await this.closeUnstartedRound(id, round, opened.previous);
      this.logger.error({ newsletterId: id, round, err: (error as Error).message }, 'Retry request not published');
      throw new ServiceUnavailableError('The retry could not be queued; nothing was sent. Try again.');
    }
    this.logger.log({ newsletterId: id, round }, 'Retry of failed recipients requested');
    return { round };
  }

  private async record(id: string): Promise<NewsletterRecord> {
    const entry = await this.stores.newsletters.get(id);
    if (!entry || entry.operation !== 'PUT') throw new NotFoundError(`No newsletter with id ${id}`);
    return entry.json<NewsletterRecord>();
  }

  /** Undoes `openRound` when its request could not be published (and nothing else touched the round). */
  private async closeUnstartedRound(id: string, round: string, before: NewsletterRecord): Promise<void> {
    await casUpdate<NewsletterRecord>(this.stores.newsletters, id, (record) => {
      const state = record.rounds[round];
      if (!state || state.batches !== null || state.completed > 0) return null;
      const rounds = { ...record.rounds };
      delete rounds[round];
      return { ...record, rounds, status: before.status, completedAt: before.completedAt };
    }).catch(() => undefined);
  }
}
