import { Injectable, Logger } from '@nestjs/common';
import {
  ContentObjects,
  Events,
  type BatchReadyEvent,
  type NewsletterRetryRequestedEvent,
  type NewsletterRoundStartedEvent,
  type Recipient,
} from '@mailroom/contracts';
import { EventPublisher, FailureRecords } from '@mailroom/jetstream';

/**
 * A re-send round (retry-failed): the newsletter's transiently failed recipients, grouped by the
 * batch they were first sent in (ledger keys are per batch, so the sender finds their history),
 * published as round batches, then the round's size. Permanent failures are never included.
 */
@Injectable()
export class RetrySplitter {
  private readonly logger = new Logger(RetrySplitter.name);

  constructor(
    private readonly failures: FailureRecords,
    private readonly publisher: EventPublisher,
  ) {}

  async split(request: NewsletterRetryRequestedEvent): Promise<void> {
    const { newsletterId: id, round } = request;
    const byBatch = new Map<number, Recipient[]>();
    for await (const failure of this.failures.list(id)) {
      if (failure.permanent || failure.batchIndex < 0) continue;
      const group = byBatch.get(failure.batchIndex) ?? [];
      group.push({ email: failure.email });
      byBatch.set(failure.batchIndex, group);
    }
    const occurredAt = new Date().toISOString();
    await Promise.all(
      [...byBatch].map(([batchIndex, recipients]) =>
        this.publisher.publish(
          Events.BatchReady,
          {
            newsletterId: id,
            occurredAt,
            batchIndex,
            contentObject: ContentObjects.content(id),
            recipients,
            round,
          } satisfies BatchReadyEvent,
          { msgId: `${id}:${round}:b${batchIndex}`, key: id },
        ),
      ),
    );
    const recipients = [...byBatch.values()].reduce((n, group) => n + group.length, 0);
    const started: NewsletterRoundStartedEvent = { newsletterId: id, occurredAt, round, batches: byBatch.size, recipients };
    await this.publisher.publish(Events.NewsletterRoundStarted, started, { msgId: `${id}:${round}:started` });
    this.logger.log({ newsletterId: id, round, batches: byBatch.size, recipients }, 'Retry round published');
  }
}
