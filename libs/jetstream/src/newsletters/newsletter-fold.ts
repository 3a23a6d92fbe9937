import {
  BatchBitset,
  addSample,
  inFlightCounts,
  isFinal,
  LINK_COUNT_LIMITS,
  pausedForMs,
  type BatchCompletedEvent,
  type CancelReason,
  type BatchProgressedEvent,
  type LinkClicks,
  type LinkTally,
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
    // Paused while its list was being split: it stays paused (resume makes it `sending`); a
    // cancelling one stays cancelling until its batches are accounted for.
    status: record.status === 'paused' || record.status === 'cancelling' ? record.status : 'sending',
    // A split stopped by a cancel read only part of the list: the rest counts as cancelled,
    // out of the recipients as submitted.
    total: event.stopped ? Math.max(event.total, record.submitted) : event.total,
    duplicates: event.duplicates,
    failed: record.failed + event.invalid,
    suppressed: record.suppressed + event.suppressed,
    batches: { total: event.batches, completed: record.batches.completed },
    updatedAt: event.occurredAt,
  });
}

export function foldSplitFailed(record: NewsletterRecord, event: NewsletterSplitFailedEvent): NewsletterRecord | null {
  if (isFinal(record.status)) return null;
  // Nothing of it will be sent: a cancel asked for settles now.
  if (record.status === 'cancelling') return settleCancelled({ ...record, error: event.reason, updatedAt: event.occurredAt }, event.occurredAt);
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
  // A newsletter settled as cancelled (by its deadline, or a record from before `cancelling`)
  // counted everyone left as cancelled; a batch that reports late moves the ones it settled out
  // of that count. While cancelling, a batch dropped by a sender counts its recipients cancelled.
  const settledHere = event.sent + event.failed + event.suppressed;
  const cancelled = record.status === 'cancelled' ? Math.max(0, record.cancelled - settledHere) : record.cancelled + (event.cancelled ?? 0);
  const { [String(event.batchIndex)]: _partial, ...inFlight } = record.inFlight ?? {};
  return settle({
    ...record,
    inFlight,
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
 * How far a first-pass batch in a sender's hands has got (cumulative). Kept until its result is
 * counted; a repeated, older or late one (the batch is counted already) changes nothing.
 */
export function foldBatchProgressed(record: NewsletterRecord, event: BatchProgressedEvent): NewsletterRecord | null {
  if (isFinal(record.status) || BatchBitset.decode(record.countedBatches).has(event.batchIndex)) return null;
  const key = String(event.batchIndex);
  const before = record.inFlight?.[key];
  const partial = {
    sent: Math.max(before?.sent ?? 0, event.sent),
    failed: Math.max(before?.failed ?? 0, event.failed),
    suppressed: Math.max(before?.suppressed ?? 0, event.suppressed),
  };
  if (before && partial.sent === before.sent && partial.failed === before.failed && partial.suppressed === before.suppressed) return null;
  const changed: NewsletterRecord = { ...record, inFlight: { ...record.inFlight, [key]: partial }, updatedAt: event.occurredAt };
  return { ...changed, progress: addSample(changed.progress ?? [], Date.parse(changed.updatedAt), settledCount(changed)) };
}

/**
 * A recipient bounced after acceptance, or complained: counted once per recipient and kind (the
 * ledger says whether it was counted before). Also after the newsletter settled: feedback comes
 * in for days, and the settled counts of sent / failed do not change with it.
 */
export function foldFeedback(record: NewsletterRecord, kind: 'bounce' | 'complaint', at: string): NewsletterRecord {
  return kind === 'bounce'
    ? { ...record, bounced: (record.bounced ?? 0) + 1, updatedAt: later(record.updatedAt, at) }
    : { ...record, complained: (record.complained ?? 0) + 1, updatedAt: later(record.updatedAt, at) };
}

/** One open or click to count, as the delivery ledger judged it. */
export interface EngagementCount {
  /** `machineOpen`: an open by a machine (a mail privacy proxy), counted apart from `open`. */
  readonly kind: 'open' | 'machineOpen' | 'click';
  /** The recipient's first of this kind (the ledger marked it just now). */
  readonly first: boolean;
  /** A click's link: its original URL, and whether it is the recipient's first click on it (DeliveryLedger.claimLink). */
  readonly link?: { readonly url: string; readonly first: boolean };
}

/**
 * An open or a click of a tracked newsletter. A recipient counts once in `opens`, `machineOpens`
 * and `clicks` (only `first` counts: the ledger's mark decides), every click in `clicksTotal` (the
 * caller claims each click once: DeliveryLedger.claimClick). Also after the newsletter settled.
 * Leaves `updatedAt` (and so the progress, and the watchdog's "not moved since") as it is:
 * readers opening a newsletter do not make a stalled one look alive. Null when nothing counts.
 */
export function foldEngagement(record: NewsletterRecord, count: EngagementCount): NewsletterRecord | null {
  switch (count.kind) {
    case 'open':
      return count.first ? { ...record, opens: (record.opens ?? 0) + 1 } : null;
    case 'machineOpen':
      return count.first ? { ...record, machineOpens: (record.machineOpens ?? 0) + 1 } : null;
    case 'click':
      return {
        ...record,
        clicks: (record.clicks ?? 0) + (count.first ? 1 : 0),
        clicksTotal: (record.clicksTotal ?? 0) + 1,
        ...(count.link ? foldLinkClick(record, count.link) : {}),
      };
  }
}

/**
 * A click on one link: counted in its entry of `links`, a new entry while the bound leaves room
 * (LINK_COUNT_LIMITS: so many URLs, so many characters of them), else in `otherLinks`. A URL that
 * did not fit once never fits later (the entries only grow), so each URL is counted in one place.
 */
function foldLinkClick(record: NewsletterRecord, link: NonNullable<EngagementCount['link']>): Pick<NewsletterRecord, 'links'> | Pick<NewsletterRecord, 'otherLinks'> {
  const tally = <T extends LinkTally>(counts: T): T => ({ ...counts, clicks: counts.clicks + 1, recipients: counts.recipients + (link.first ? 1 : 0) });
  const links = record.links ?? [];
  const at = links.findIndex((entry) => entry.url === link.url);
  if (at >= 0) return { links: links.map((entry, i) => (i === at ? tally(entry) : entry)) };
  const used = links.reduce((sum, entry) => sum + entry.url.length, 0);
  if (links.length < LINK_COUNT_LIMITS.links && used + link.url.length <= LINK_COUNT_LIMITS.urlCharacters) {
    return { links: [...links, tally<LinkClicks>({ url: link.url, clicks: 0, recipients: 0 })] };
  }
  return { otherLinks: tally(record.otherLinks ?? { clicks: 0, recipients: 0 }) };
}

/**
 * A recipient's address put on the suppression list through the newsletter's unsubscribe link
 * (the caller claimed it once per recipient: DeliveryLedger.claimUnsubscribe). Also after the
 * newsletter settled; leaves `updatedAt` as it is, like engagement.
 */
export function foldUnsubscribe(record: NewsletterRecord): NewsletterRecord {
  return { ...record, unsubscribes: (record.unsubscribes ?? 0) + 1 };
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Recipients settled: counted batches, and what the batches in flight have settled so far. */
function settledCount(record: NewsletterRecord): number {
  const partial = inFlightCounts(record);
  return record.sent + record.failed + record.suppressed + partial.sent + partial.failed + partial.suppressed;
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

/**
 * A cancel: `scheduled` (nothing can be in flight) is `cancelled` at once, everyone cancelled;
 * any other status under way becomes `cancelling` and settles as `cancelled` once every batch
 * published is accounted for (sent, or dropped by a sender), or at the deadline
 * (`foldCancelDeadline`). Null when it is settled or cancelling already.
 */
export function foldCancel(record: NewsletterRecord, at: string, reason?: CancelReason): NewsletterRecord | null {
  if (isFinal(record.status) || record.status === 'cancelling') return null;
  const asked: NewsletterRecord = { ...endPause(record, at), cancelRequestedAt: at, updatedAt: at, ...(reason ? { cancelReason: reason } : {}) };
  if (record.status === 'scheduled') return settleCancelled(asked, at);
  return settle({ ...asked, status: 'cancelling' });
}

/**
 * Paused (from queued, splitting or sending: the caller checked the transition): the pause's
 * start is kept, so that how long a newsletter stays paused can be bounded (see `pausedForMs`).
 */
export function foldPause(record: NewsletterRecord, at: string): NewsletterRecord {
  return { ...record, status: 'paused', pausedAt: at, updatedAt: at };
}

/** Resumed, back to `status`: the pause's length joins `pausedMs`. */
export function foldResume(record: NewsletterRecord, at: string, status: NewsletterStatus): NewsletterRecord {
  return { ...endPause(record, at), status, updatedAt: at };
}

/** A paused record's pause, ended at `at`: its length added to `pausedMs`, `pausedAt` gone. Others as they are. */
function endPause(record: NewsletterRecord, at: string): NewsletterRecord {
  if (record.status !== 'paused') return record;
  const { pausedAt: _pausedAt, ...rest } = record;
  return { ...rest, pausedMs: pausedForMs(record, Date.parse(at)) };
}

/** The cancel deadline passed with batches still unaccounted for: settles as it stands. */
export function foldCancelDeadline(record: NewsletterRecord, at: string): NewsletterRecord | null {
  if (record.status !== 'cancelling') return null;
  return settleCancelled({ ...record, updatedAt: at }, at);
}

/** Final: everyone not sent to, failed or suppressed counts as cancelled. */
function settleCancelled(record: NewsletterRecord, at: string): NewsletterRecord {
  const total = record.total ?? record.submitted;
  const cancelled = Math.max(0, total - record.sent - record.failed - record.suppressed);
  // Partial counts of batches that never reported are not final: they count as cancelled.
  return { ...record, status: 'cancelled', cancelled, completedAt: at, inFlight: {} };
}

/** Once every batch (and every round's batches) is counted, the newsletter takes its final status. */
function settle(changed: NewsletterRecord): NewsletterRecord {
  const record: NewsletterRecord = {
    ...changed,
    startedAt: changed.startedAt ?? changed.updatedAt,
    progress: addSample(changed.progress ?? [], Date.parse(changed.updatedAt), settledCount(changed)),
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
  // Every batch is accounted for: the cancel is complete, with the counts as they are now.
  if (record.status === 'cancelling') return settleCancelled(record, record.updatedAt);
  if (isFinal(record.status) && record.completedAt) return record;
  return { ...record, status: finalStatus(record), completedAt: record.updatedAt };
}

function finalStatus(record: NewsletterRecord): NewsletterStatus {
  if (record.failed === 0) return 'completed';
  return record.sent === 0 ? 'failed' : 'completed_with_failures';
}
