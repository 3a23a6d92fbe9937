import type {
  BatchCompletedEvent,
  NewsletterRecord,
  NewsletterSplitEvent,
  NewsletterSplitFailedEvent,
  NewsletterStatus,
} from '@mailroom/contracts';
import { isFinal } from '@mailroom/contracts';
import { BatchBitset } from './batch-bitset';

/**
 * How each event changes a newsletter record. Pure functions: each returns the new record, or
 * null when the event changes nothing (already counted, or too late). Applying the same event
 * twice therefore never counts twice.
 */
export function foldSplitStarted(record: NewsletterRecord, at: string): NewsletterRecord | null {
  if (record.status !== 'queued') return null;
  return { ...record, status: 'splitting', updatedAt: at };
}

export function foldSplit(record: NewsletterRecord, event: NewsletterSplitEvent): NewsletterRecord | null {
  if (record.batches.total !== null || isFinal(record.status)) return null;
  return settle({
    ...record,
    status: 'sending',
    total: event.total,
    duplicates: event.duplicates,
    failed: record.failed + event.invalid,
    batches: { total: event.batches, completed: record.batches.completed },
    updatedAt: event.occurredAt,
  });
}

export function foldSplitFailed(record: NewsletterRecord, event: NewsletterSplitFailedEvent): NewsletterRecord | null {
  if (isFinal(record.status)) return null;
  return {
    ...record,
    status: 'failed',
    error: event.reason,
    updatedAt: event.occurredAt,
    completedAt: event.occurredAt,
  };
}

export function foldBatchCompleted(record: NewsletterRecord, event: BatchCompletedEvent): NewsletterRecord | null {
  const counted = BatchBitset.decode(record.countedBatches);
  if (counted.has(event.batchIndex)) return null;
  counted.add(event.batchIndex);
  return settle({
    ...record,
    // Results can overtake the split event; the record is "sending" from the first result on.
    status: record.status === 'queued' || record.status === 'splitting' ? 'sending' : record.status,
    sent: record.sent + event.sent,
    failed: record.failed + event.failed,
    batches: { total: record.batches.total, completed: record.batches.completed + 1 },
    countedBatches: counted.encode(),
    updatedAt: event.occurredAt,
  });
}

/** Once every batch is counted, the newsletter takes its final status. */
function settle(record: NewsletterRecord): NewsletterRecord {
  const { total, completed } = record.batches;
  if (total === null || completed < total || isFinal(record.status)) return record;
  return { ...record, status: finalStatus(record), completedAt: record.updatedAt };
}

function finalStatus(record: NewsletterRecord): NewsletterStatus {
  if (record.failed === 0) return 'completed';
  return record.sent === 0 ? 'failed' : 'completed_with_failures';
}
