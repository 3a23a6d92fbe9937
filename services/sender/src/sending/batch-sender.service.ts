import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Events,
  addressHash,
  type BatchCompletedEvent,
  type BatchReadyEvent,
  type LedgerEntry,
  type NewsletterContent,
  type Recipient,
} from '@mailroom/contracts';
import { EventPublisher, PermanentError, RetryableError } from '@mailroom/jetstream';
import type { OutgoingEmail } from '@mailroom/mailer';
import { SENDER_CONFIG, type SenderConfig } from '../config/sender.config';
import { ContentCache } from './content-cache';
import { DeliveryLedger } from './delivery-ledger';
import { toLedgerEntry } from './ledger-outcome';
import { SenderMetrics } from './sender.metrics';
import { Mailer } from './smtp-mailer.provider';

export interface Delivery {
  /** 1 on the first delivery of the batch. */
  readonly count: number;
}

/**
 * Sends one batch. Recipients already settled in the ledger are skipped, so a redelivered batch
 * only retries those still deferred; each outcome is written right after its SMTP transaction.
 * Deferred recipients make the batch retry later; once everyone is settled, one
 * `batch.completed` event reports the batch's outcome.
 */
@Injectable()
export class BatchSender {
  private readonly logger = new Logger(BatchSender.name);

  constructor(
    @Inject(SENDER_CONFIG) private readonly config: SenderConfig,
    private readonly contents: ContentCache,
    private readonly ledger: DeliveryLedger,
    private readonly mailer: Mailer,
    private readonly publisher: EventPublisher,
    private readonly metrics: SenderMetrics,
  ) {}

  async deliver(batch: BatchReadyEvent, delivery: Delivery): Promise<void> {
    const { newsletterId, batchIndex } = batch;
    const content = await this.contents.get(batch.contentObject);
    if (!content) throw new PermanentError(`Content ${batch.contentObject} of newsletter ${newsletterId} is missing`);

    const known = await this.ledger.readBatch(newsletterId, batchIndex);
    const finalAttempt = delivery.count >= this.config.maxAttempts;
    const settled: LedgerEntry[] = [];
    const writes: Promise<void>[] = [];

    await Promise.all(
      batch.recipients.map(async (recipient) => {
        const previous = known.get(addressHash(recipient.email));
        if (previous && previous.state !== 'deferred') {
          settled.push(previous);
          return;
        }
        const entry = await this.attempt(newsletterId, content, recipient, previous, finalAttempt);
        settled.push(entry);
        writes.push(this.ledger.record(newsletterId, batchIndex, entry));
      }),
    );
    // A failed ledger write throws here: the batch is retried and the ledger decides again.
    await Promise.all(writes);

    const deferred = settled.filter((e) => e.state === 'deferred').length;
    if (deferred > 0) {
      this.metrics.batches.inc({ result: 'retry' });
      throw new RetryableError(`${deferred} of ${batch.recipients.length} recipient(s) deferred`);
    }
    await this.publishCompleted(batch, settled);
    this.metrics.batches.inc({ result: 'completed' });
  }

  private async attempt(
    newsletterId: string,
    content: NewsletterContent,
    recipient: Recipient,
    previous: LedgerEntry | undefined,
    finalAttempt: boolean,
  ): Promise<LedgerEntry> {
    const stopTimer = this.metrics.sendSeconds.startTimer();
    const outcome = await this.mailer.send(this.compose(newsletterId, content, recipient));
    stopTimer({ outcome: outcome.kind });
    this.metrics.attempts.inc({ outcome: outcome.kind });
    return toLedgerEntry(recipient.email, outcome, previous, finalAttempt);
  }

  private compose(newsletterId: string, content: NewsletterContent, recipient: Recipient): OutgoingEmail {
    return {
      from: content.from,
      to: recipient,
      subject: content.subject,
      html: content.html,
      text: content.text,
      headers: { 'X-Mailroom-Newsletter-Id': newsletterId },
    };
  }

  private async publishCompleted(batch: BatchReadyEvent, entries: readonly LedgerEntry[]): Promise<void> {
    const failed = entries.filter((e) => e.state === 'failed');
    const event: BatchCompletedEvent = {
      newsletterId: batch.newsletterId,
      occurredAt: new Date().toISOString(),
      batchIndex: batch.batchIndex,
      sent: entries.length - failed.length,
      failed: failed.length,
      failures: failed.map((e) => ({
        email: e.email,
        ...(e.code !== undefined ? { code: e.code } : {}),
        reason: e.reason ?? 'unknown',
        permanent: e.permanent ?? false,
        attempts: e.attempts,
      })),
    };
    await this.publisher.publish(Events.BatchCompleted, event, {
      msgId: `${batch.newsletterId}:b${batch.batchIndex}:completed`,
    });
    if (failed.length > 0) {
      this.logger.warn(
        { newsletterId: batch.newsletterId, batchIndex: batch.batchIndex, failed: failed.length },
        'Batch completed with failures',
      );
    }
  }
}
