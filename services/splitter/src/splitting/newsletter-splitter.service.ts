import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  tenantOf,
  ContentObjects,
  Events,
  RecipientBatcher,
  type BatchReadyEvent,
  type InvalidRecipient,
  type NewsletterRequestedEvent,
  type NewsletterSplitEvent,
} from '@mailroom/contracts';
import {
  ContentStore,
  EventPublisher,
  FailureRecords,
  ListPartsStore,
  NewsletterControls,
  ParkedBatches,
  SuppressionList,
  openRecipientSource,
} from '@mailroom/jetstream';
import { SPLITTER_CONFIG, type SplitterConfig } from '../config/splitter.config';
import { PublishWindow } from './publish-window';

/**
 * Reads a newsletter's stored list as a stream and publishes one batch event per `batchSize`
 * recipients, then the totals. Every publish carries a msgID derived from the newsletter and the
 * batch index, so a split that is re-run after a crash publishes nothing twice.
 */
@Injectable()
export class NewsletterSplitter {
  private readonly logger = new Logger(NewsletterSplitter.name);

  constructor(
    @Inject(SPLITTER_CONFIG) private readonly config: SplitterConfig,
    private readonly content: ContentStore,
    private readonly listParts: ListPartsStore,
    private readonly publisher: EventPublisher,
    private readonly suppressions: SuppressionList,
    private readonly failures: FailureRecords,
    private readonly controls: NewsletterControls,
    private readonly parked: ParkedBatches,
  ) {}

  async split(request: NewsletterRequestedEvent): Promise<void> {
    const id = request.newsletterId;
    const now = () => new Date().toISOString();
    const cancelled = () => this.controls.stateOf(id) === 'cancelled';
    // Cancelled before it started: nothing to split; the tracker hears there are no batches to
    // wait for, so the cancel settles at once.
    if (cancelled()) {
      await this.publishStopped(id, { total: 0, batches: 0, duplicates: 0, invalid: 0, suppressed: 0, invalidSample: [] });
      return;
    }
    await this.publisher.publish(
      Events.NewsletterSplitStarted,
      { newsletterId: id, occurredAt: now() },
      { msgId: `${id}:split-started` },
    );

    // Kept so the tracker's watchdog can read the same list again to rebuild a lost batch (the
    // request itself leaves its work queue once this split is acknowledged).
    await this.content.putJson(ContentObjects.request(id), request);
    const source = await openRecipientSource(request, { content: this.content, listParts: this.listParts });
    if (!source.ok) {
      await this.publisher.publish(
        Events.NewsletterSplitFailed,
        { newsletterId: id, occurredAt: now(), reason: source.reason },
        { msgId: `${id}:split-failed` },
      );
      this.logger.error({ newsletterId: id, listId: request.listId, reason: source.reason }, 'Recipient list missing; newsletter failed');
      return;
    }
    const lines = source.recipients;

    // The global suppression list and the newsletter's tenant's, test sends included.
    const tenant = tenantOf(request);
    const batcher = new RecipientBatcher(request.batchSize, (email) => this.suppressions.has(email, tenant));
    const window = new PublishWindow(this.config.publishWindow);
    let published = 0;
    // The first BATCH_WINDOW batches go straight to the queue (a small newsletter loses no time);
    // the rest wait parked for the dispatcher, which lets them in as those complete.
    const held = (index: number) => this.config.batchWindow > 0 && index >= this.config.batchWindow;
    const publishBatch = (batch: { index: number; recipients: BatchReadyEvent['recipients'] }) => {
      published += 1;
      const event: BatchReadyEvent = {
        newsletterId: id,
        occurredAt: now(),
        batchIndex: batch.index,
        contentObject: request.contentObject,
        recipients: batch.recipients,
      };
      return window.push(() =>
        held(batch.index) ? this.parked.hold(event) : this.publisher.publish(Events.BatchReady, event, { msgId: `${id}:b${batch.index}`, key: id }),
      );
    };
    // Invalid addresses are final failures, listed with the newsletter's other failures.
    const invalidWrites: Promise<void>[] = [];
    const recordInvalid = (invalid: InvalidRecipient) =>
      invalidWrites.push(
        this.failures.record(id, {
          email: invalid.address,
          batchIndex: -1,
          reason: `invalid address: ${invalid.reason}`,
          permanent: true,
          attempts: 0,
          at: now(),
        }),
      );

    for await (const recipient of lines) {
      const full = batcher.add(recipient, recordInvalid);
      if (!full) continue;
      // Cancelled while splitting: stop publishing; the record is already final.
      if (cancelled()) break;
      await publishBatch(full);
    }
    const last = cancelled() ? undefined : batcher.flush();
    if (last) await publishBatch(last);
    await window.drain();
    await Promise.all(invalidWrites);
    if (cancelled()) {
      // The batches published so far (indexes 0 … published-1) are what the cancel waits for.
      await this.publishStopped(id, { ...batcher.totals, batches: published });
      this.logger.log({ newsletterId: id, batches: published }, 'Newsletter cancelled while splitting; split stopped');
      return;
    }

    const totals = batcher.totals;
    const split: NewsletterSplitEvent = { newsletterId: id, occurredAt: now(), ...totals };
    await this.publisher.publish(Events.NewsletterSplit, split, { msgId: `${id}:split` });
    this.logger.log(
      {
        newsletterId: id,
        total: totals.total,
        batches: totals.batches,
        duplicates: totals.duplicates,
        invalid: totals.invalid,
        suppressed: totals.suppressed,
      },
      'Newsletter split',
    );
  }

  /** A split stopped by a cancel: what was published before it stopped (see NewsletterSplitEvent.stopped). */
  private async publishStopped(id: string, totals: Omit<NewsletterSplitEvent, 'newsletterId' | 'occurredAt' | 'stopped'>): Promise<void> {
    const split: NewsletterSplitEvent = { newsletterId: id, occurredAt: new Date().toISOString(), ...totals, stopped: true };
    await this.publisher.publish(Events.NewsletterSplit, split, { msgId: `${id}:split` });
  }
}
