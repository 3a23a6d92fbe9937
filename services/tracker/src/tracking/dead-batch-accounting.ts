import { Injectable, Logger } from '@nestjs/common';
import { addressHash, type DeadLetterEvent } from '@mailroom/contracts';
import { DeliveryLedger, FailureRecords, type BatchCounts } from '@mailroom/jetstream';

interface DeadBatch {
  readonly newsletterId: string;
  readonly batchIndex: number;
  readonly round?: string;
  readonly recipients: ReadonlyArray<{ email: string }>;
}

/**
 * What a dead-lettered batch counts as: recipients the ledger shows accepted or suppressed count
 * so; everyone else failed (and is listed as a failure, so retry-failed or a re-drive can reach
 * them). The body is read leniently: a batch is dead precisely because it broke some rule.
 */
@Injectable()
export class DeadBatchAccounting {
  private readonly logger = new Logger(DeadBatchAccounting.name);

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly failures: FailureRecords,
  ) {}

  parse(letter: DeadLetterEvent): DeadBatch | undefined {
    if (letter.encoding !== 'utf8') return undefined;
    try {
      const body = JSON.parse(letter.payload) as Partial<Record<keyof DeadBatch, unknown>>;
      const recipients = Array.isArray(body.recipients)
        ? body.recipients.filter((r): r is { email: string } => typeof (r as { email?: unknown })?.email === 'string')
        : [];
      if (typeof body.newsletterId !== 'string' || typeof body.batchIndex !== 'number') return undefined;
      return {
        newsletterId: body.newsletterId,
        batchIndex: body.batchIndex,
        recipients,
        ...(typeof body.round === 'string' ? { round: body.round } : {}),
      };
    } catch {
      return undefined;
    }
  }

  async count(batch: DeadBatch, reason: string, at: string): Promise<BatchCounts> {
    const ledger = await this.ledger.readBatch(batch.newsletterId, batch.batchIndex, batch.recipients.map((r) => r.email));
    let sent = 0;
    let suppressed = 0;
    const failedWrites: Promise<void>[] = [];
    for (const { email } of batch.recipients) {
      const entry = ledger.get(addressHash(email));
      const inScope = entry !== undefined && (batch.round === undefined || entry.round === batch.round);
      if (inScope && entry.state === 'accepted') sent += 1;
      else if (inScope && entry.state === 'suppressed') suppressed += 1;
      else if (entry?.state !== 'failed') {
        failedWrites.push(
          this.failures.record(batch.newsletterId, {
            email,
            batchIndex: batch.batchIndex,
            reason: `dead-lettered: ${reason}`.slice(0, 500),
            permanent: false,
            attempts: entry?.attempts ?? 0,
            at,
          }),
        );
      }
    }
    await Promise.all(failedWrites);
    const failed = batch.recipients.length - sent - suppressed;
    this.logger.warn({ newsletterId: batch.newsletterId, batchIndex: batch.batchIndex, sent, failed }, 'Dead-lettered batch counted');
    return {
      batchIndex: batch.batchIndex,
      occurredAt: at,
      ...(batch.round !== undefined ? { round: batch.round } : {}),
      // In a round only recoveries count; the rest were already failed.
      sent,
      suppressed,
      failed: batch.round === undefined ? failed : 0,
    };
  }
}
