import {
  BatchBitset,
  addSample,
  isFinal,
  type BatchCompletedEvent,
  type NewsletterRecord,
  type NewsletterRoundStartedEvent,
  type NewsletterSplitEvent,
  type NewsletterSplitFailedEvent,
  type NewsletterStatus,
  type RoundState,
} from '@mailroom/contracts';

/**
 * How each event the tracker counts changes a newsletter record (applied by NewsletterRecords,
 * which stores the result and checks every change of status against NEWSLETTER_TRANSITIONS).
 * Pure functions: each returns the new record, or null when the event changes nothing (already
 * counted, or too late). Applying the same event twice therefore never counts twice.
 */
export function foldSplitStarted(record: NewsletterRecord, at: string): NewsletterRecord | null {
  // A scheduled newsletter's split can overtake the scheduler's own status change.
  if (record.status !== 'queued' && record.status !== 'scheduled') return null;
  return { ...record, status: 'splitting', updatedAt: at, startedAt: at, progress: [[Date.parse(at), 0]] };
}

export function foldSplit(record: NewsletterRecord, event: NewsletterSplitEvent): NewsletterRecord | null {
  if (record.batches.total !== null || isFinal(record.status)) return null;
  return settle({
    ...record,
    // Paused while its list was being split: it stays paused (resume makes it `sending`).
    status: record.status === 'paused' ? 'paused' : 'sending',
    total: event.total,
    duplicates: event.duplicates,
    failed: record.failed + event.invalid,
    suppressed: record.suppressed + event.suppressed,
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

/** Counts of one batch's outcome, from a result event or from a dead letter's ledger scan. */
export type BatchCounts = Pick<BatchCompletedEvent, 'batchIndex' | 'sent' | 'failed' | 'suppressed' | 'cancelled' | 'occurredAt' | 'round'>;

export function foldBatchCompleted(record: NewsletterRecord, event: BatchCounts, deadLettered = false): NewsletterRecord | null {
  if (event.round !== undefined) return foldRoundResult(record, event, event.round);
  const counted = BatchBitset.decode(record.countedBatches);
  if (counted.has(event.batchIndex)) return null;
  counted.add(event.batchIndex);
  // Recipients of a cancelled newsletter were all counted as cancelled when it was cancelled;
  // a batch that was in flight then moves the ones it settled out of that count.
  const settledHere = event.sent + event.failed + event.suppressed;
  const cancelled = record.status === 'cancelled' ? Math.max(0, record.cancelled - settledHere) : record.cancelled + (event.cancelled ?? 0);
  return settle({
    ...record,
    // Results can overtake the split event; the record is "sending" from the first result on.
    status: record.status === 'queued' || record.status === 'splitting' || record.status === 'scheduled' ? 'sending' : record.status,
    cancelled,
    sent: record.sent + event.sent,
    failed: record.failed + event.failed,
    suppressed: record.suppressed + event.suppressed,
    batches: { total: record.batches.total, completed: record.batches.completed + 1 },
    countedBatches: counted.encode(),
    deadLetteredBatches: record.deadLetteredBatches + (deadLettered ? 1 : 0),
    updatedAt: event.occurredAt,
  });
}

/**
 * A batch of a re-send round. Its recipients were counted as failed; those accepted (or
 * suppressed) in the round move out of `failed`.
 */
function foldRoundResult(record: NewsletterRecord, event: BatchCounts, roundId: string): NewsletterRecord | null {
  const round = record.rounds[roundId] ?? emptyRound(event.occurredAt);
  const counted = BatchBitset.decode(round.counted);
  if (counted.has(event.batchIndex)) return null;
  counted.add(event.batchIndex);
  const recovered = event.sent + event.suppressed;
  return settle({
    ...record,
    sent: record.sent + event.sent,
    suppressed: record.suppressed + event.suppressed,
    failed: Math.max(0, record.failed - recovered),
    rounds: { ...record.rounds, [roundId]: { ...round, completed: round.completed + 1, counted: counted.encode() } },
    updatedAt: event.occurredAt,
  });
}

/** A round's batches are published: now its size is known. */
export function foldRoundStarted(record: NewsletterRecord, event: NewsletterRoundStartedEvent): NewsletterRecord | null {
  const round = record.rounds[event.round] ?? emptyRound(event.occurredAt);
  if (round.batches !== null) return null;
  return settle({
    ...record,
    rounds: { ...record.rounds, [event.round]: { ...round, batches: event.batches } },
    updatedAt: event.occurredAt,
  });
}

function emptyRound(at: string): RoundState {
  return { batches: null, completed: 0, counted: '', requestedAt: at };
}

/** Once every batch (and every round's batches) is counted, the newsletter takes its final status. */
function settle(changed: NewsletterRecord): NewsletterRecord {
  const settled = changed.sent + changed.failed + changed.suppressed;
  const record: NewsletterRecord = {
    ...changed,
    startedAt: changed.startedAt ?? changed.updatedAt,
    progress: addSample(changed.progress ?? [], Date.parse(changed.updatedAt), settled),
  };
  // Cancelled is final the moment it is set (by the gateway); late results only adjust counts.
  if (record.status === 'cancelled') return record;
  const { total, completed } = record.batches;
  // A newsletter whose split failed has no batches to wait for.
  const mainDone = total !== null ? completed >= total : record.error !== undefined;
  const roundsDone = Object.values(record.rounds).every((r) => r.batches !== null && r.completed >= r.batches);
  if (!mainDone || !roundsDone) {
    return isFinal(record.status) ? { ...record, status: 'sending', completedAt: null } : record;
  }
  if (isFinal(record.status) && record.completedAt) return record;
  return { ...record, status: finalStatus(record), completedAt: record.updatedAt };
}

function finalStatus(record: NewsletterRecord): NewsletterStatus {
  if (record.failed === 0) return 'completed';
  return record.sent === 0 ? 'failed' : 'completed_with_failures';
}
