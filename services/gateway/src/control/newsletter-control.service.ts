import { Injectable, Logger } from '@nestjs/common';
import {
  Events,
  isFinal,
  type NewsletterCancelledEvent,
  type NewsletterRecord,
  type NewsletterResumeRequestedEvent,
  type NewsletterStatus,
  tenantOf,
} from '@mailroom/contracts';
import { EventPublisher, NewsletterControls, NewsletterRecords, ParkedBatches, Schedules } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { ConflictError, NotFoundError } from '../http/api-errors';

export interface ControlResult {
  readonly id: string;
  readonly status: NewsletterStatus;
}

/**
 * Pause, resume and cancel. The control state (followed live by every sender and splitter) is
 * changed first, so sending stops within one SMTP transaction per connection; then the record,
 * so the status says so; then whatever must move (parked batches, the queued backlog).
 */
@Injectable()
export class NewsletterControlService {
  private readonly logger = new Logger(NewsletterControlService.name);

  constructor(
    private readonly records: NewsletterRecords,
    private readonly schedules: Schedules,
    private readonly controls: NewsletterControls,
    private readonly parked: ParkedBatches,
    private readonly publisher: EventPublisher,
  ) {}

  async pause(id: string, caller: Caller): Promise<ControlResult> {
    const record = await this.record(id, caller);
    if (record.status === 'paused') return { id, status: 'paused' };
    if (isFinal(record.status) || record.status === 'cancelling') {
      throw new ConflictError(`Newsletter ${id} has already ${record.status === 'cancelled' || record.status === 'cancelling' ? 'been cancelled' : 'settled'}`);
    }
    if (record.status === 'scheduled') throw new ConflictError(`Newsletter ${id} has not started (scheduled for ${record.sendAt}); cancel it instead`);
    await this.controls.set(id, 'paused');
    const result = await this.records.pause(id);
    this.logger.log({ newsletterId: id }, 'Newsletter paused');
    return { id, status: result.kind === 'updated' ? 'paused' : (await this.record(id, caller)).status };
  }

  async resume(id: string, caller: Caller): Promise<ControlResult> {
    const record = await this.record(id, caller);
    if (record.status !== 'paused') throw new ConflictError(`Newsletter ${id} is ${record.status}, not paused`);
    const generation = await this.controls.set(id, 'active');
    const result = await this.records.resume(id);
    const event: NewsletterResumeRequestedEvent = { newsletterId: id, occurredAt: new Date().toISOString(), generation };
    await this.publisher.publish(Events.NewsletterResumeRequested, event, { msgId: `${id}:resume:${generation}` });
    this.logger.log({ newsletterId: id, generation }, 'Newsletter resumed');
    return { id, status: result.kind === 'updated' ? result.value.status : (await this.record(id, caller)).status };
  }

  /**
   * `cancelling` at once (a scheduled newsletter: `cancelled`): no sender starts anything new for
   * it. Each batch still queued is dropped by the sender that takes it (reported with its
   * recipients cancelled, without a send), parked batches are put back on the queue to be dropped
   * alike, and a batch in a sender's hands reports what it sent; the tracker settles the
   * newsletter as `cancelled` when every batch is accounted for (or at its cancel deadline).
   */
  async cancel(id: string, caller: Caller): Promise<ControlResult> {
    const record = await this.record(id, caller);
    if (record.status === 'cancelled' || record.status === 'cancelling') return { id, status: record.status };
    if (isFinal(record.status)) throw new ConflictError(`Newsletter ${id} has already settled (${record.status})`);
    const generation = await this.controls.set(id, 'cancelled');
    const now = new Date().toISOString();
    const result = await this.records.cancel(id, now);
    // Parked batches go back on the queue, where the senders count them as dropped; a schedule
    // will never fire.
    await Promise.all([this.schedules.remove(id), this.parked.resume(id, generation)]);
    const event: NewsletterCancelledEvent = { newsletterId: id, occurredAt: now };
    await this.publisher.publish(Events.NewsletterCancelled, event, { msgId: `${id}:cancelled` });
    this.logger.log({ newsletterId: id }, 'Newsletter cancelled');
    return { id, status: result.kind === 'updated' ? result.value.status : (await this.record(id, caller)).status };
  }

  /** The record; 404 when it does not exist or belongs to another tenant (the same answer). */
  private async record(id: string, caller: Caller): Promise<NewsletterRecord> {
    const record = await this.records.get(id);
    if (!record || tenantOf(record) !== caller.tenant) throw new NotFoundError(`No newsletter with id ${id}`);
    return record;
  }
}
