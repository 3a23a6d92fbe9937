import { Injectable, Logger } from '@nestjs/common';
import { Events, isFinal, tenantOf, type FailureEntry, type NewsletterRecord, type NewsletterRetryRequestedEvent } from '@mailroom/contracts';
import { EventPublisher, FailureRecords, NewsletterRecords, type Page } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { ConcurrentUpdateError, ConflictError, NotFoundError, ServiceUnavailableError } from '../http/api-errors';

export interface FailureView extends FailureEntry {
  readonly batchIndex: number;
}

/** Listing a newsletter's failed recipients, and sending to the transiently failed ones again. */
@Injectable()
export class FailuresService {
  private readonly logger = new Logger(FailuresService.name);

  constructor(
    private readonly records: NewsletterRecords,
    private readonly failures: FailureRecords,
    private readonly publisher: EventPublisher,
  ) {}

  /** One page of failures, in the order they were recorded; `after` is the previous page's `next`. */
  async list(id: string, caller: Caller, after: number, limit: number): Promise<Page<FailureView>> {
    await this.record(id, caller);
    return this.failures.page(id, after, limit);
  }

  /**
   * Opens a re-send round on a settled newsletter and asks the splitter for it. The round is on
   * the record before the request is published, so the status says `sending` at once.
   */
  async retryFailed(id: string, caller: Caller): Promise<{ round: string }> {
    const current = await this.record(id, caller);
    if (!isFinal(current.status)) throw new ConflictError(`Newsletter ${id} is still ${current.status}; retry when it has settled`);
    if (current.batches.total === null) throw new ConflictError(`Newsletter ${id} was never split; there is nobody to retry`);
    if (current.failed === 0) throw new ConflictError(`Newsletter ${id} has no failed recipients`);

    const opened = await this.records.openRetryRound(id);
    if (opened.kind !== 'updated') throw new ConcurrentUpdateError(`Newsletter ${id} changed meanwhile; try again`);
    const { round } = opened;

    const event: NewsletterRetryRequestedEvent = { newsletterId: id, occurredAt: new Date().toISOString(), round };
    try {
      await this.publisher.publish(Events.NewsletterRetryRequested, event, { msgId: `${id}:${round}:requested` });
    } catch (error) {
      await this.records.closeUnstartedRound(id, round, opened.previous).catch(() => undefined);
      this.logger.error({ newsletterId: id, round, err: (error as Error).message }, 'Retry request not published');
      throw new ServiceUnavailableError('The retry could not be queued; nothing was sent. Try again.');
    }
    this.logger.log({ newsletterId: id, round }, 'Retry of failed recipients requested');
    return { round };
  }

  /** The record; 404 when it does not exist or belongs to another tenant (the same answer). */
  private async record(id: string, caller: Caller): Promise<NewsletterRecord> {
    const record = await this.records.get(id);
    if (!record || tenantOf(record) !== caller.tenant) throw new NotFoundError(`No newsletter with id ${id}`);
    return record;
  }
}
