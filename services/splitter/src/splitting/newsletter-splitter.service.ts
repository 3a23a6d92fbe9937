import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Events,
  type BatchReadyEvent,
  type InvalidRecipient,
  type NewsletterRequestedEvent,
  type NewsletterSplitEvent,
  type SubmittedRecipient,
} from '@mailroom/contracts';
import { ContentStore, EventPublisher, FailureRecords, SuppressionList } from '@mailroom/jetstream';
import { SPLITTER_CONFIG, type SplitterConfig } from '../config/splitter.config';
import { PublishWindow } from './publish-window';
import { RecipientBatcher } from './recipient-batcher';

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
    private readonly publisher: EventPublisher,
    private readonly suppressions: SuppressionList,
    private readonly failures: FailureRecords,
  ) {}

  async split(request: NewsletterRequestedEvent): Promise<void> {
    const id = request.newsletterId;
    const now = () => new Date().toISOString();
    await this.publisher.publish(
      Events.NewsletterSplitStarted,
      { newsletterId: id, occurredAt: now() },
      { msgId: `${id}:split-started` },
    );

    const lines = await this.content.readLines<SubmittedRecipient>(request.recipientsObject);
    if (lines === null) {
      await this.publisher.publish(
        Events.NewsletterSplitFailed,
        { newsletterId: id, occurredAt: now(), reason: 'The stored recipient list is missing' },
        { msgId: `${id}:split-failed` },
      );
      this.logger.error({ newsletterId: id }, 'Recipient list missing; newsletter failed');
      return;
    }

    const batcher = new RecipientBatcher(request.batchSize, (email) => this.suppressions.has(email));
    const window = new PublishWindow(this.config.publishWindow);
    const publishBatch = (batch: { index: number; recipients: BatchReadyEvent['recipients'] }) =>
      window.push(() =>
        this.publisher.publish(
          Events.BatchReady,
          {
            newsletterId: id,
            occurredAt: now(),
            batchIndex: batch.index,
            contentObject: request.contentObject,
            recipients: batch.recipients,
          } satisfies BatchReadyEvent,
          { msgId: `${id}:b${batch.index}`, key: id },
        ),
      );
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
      if (full) await publishBatch(full);
    }
    const last = batcher.flush();
    if (last) await publishBatch(last);
    await window.drain();
    await Promise.all(invalidWrites);

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
}
