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
import { EventPublisher, NewsletterControls, NewsletterRecords, ParkedBatches, QueuedBatches, Schedules } from '@mailroom/jetstream';
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
    private readonly queued: QueuedBatches,
    private readonly parked: ParkedBatches,
    private readonly publisher: EventPublisher,
  ) {}

  async pause(id: string, caller: Caller): Promise<ControlResult> {
    const record = await this.record(id, caller);
    if (record.status === 'paused') return { id, status: 'paused' };
    if (isFinal(record.status)) throw new ConflictError(`Newsletter ${id} has already ${record.status === 'cancelled' ? 'been cancelled' : 'settled'}`);
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

  async cancel(id: string, caller: Caller): Promise<ControlResult> {
    const record = await this.record(id, caller);
    if (record.status === 'cancelled') return { id, status: 'cancelled' };
    if (isFinal(record.status)) throw new ConflictError(`Newsletter ${id} has already settled (${record.status})`);
    await this.controls.set(id, 'cancelled');
    const now = new Date().toISOString();
    await this.records.cancel(id, now);
    // What was waiting will never be sent: drop it (a batch already taken by a sender is
    // counted as cancelled by that sender).
    await Promise.all([this.schedules.remove(id), this.queued.discard(id), this.parked.discard(id)]);
    const event: NewsletterCancelledEvent = { newsletterId: id, occurredAt: now };
    await this.publisher.publish(Events.NewsletterCancelled, event, { msgId: `${id}:cancelled` });
    this.logger.log({ newsletterId: id }, 'Newsletter cancelled');
    return { id, status: 'cancelled' };
  }

  /** The record; 404 when it does not exist or belongs to another tenant (the same answer). */
  private async record(id: string, caller: Caller): Promise<NewsletterRecord> {
    const record = await this.records.get(id);
    if (!record || tenantOf(record) !== caller.tenant) throw new NotFoundError(`No newsletter with id ${id}`);
    return record;
  }
}
