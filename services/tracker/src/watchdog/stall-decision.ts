import { BatchBitset, type NewsletterControl, type NewsletterRecord } from '@mailroom/contracts';

/**
 * The watchdog's decisions, as pure functions (no I/O, the clock passed in): is a newsletter
 * stalled, and what is each of its batches doing. The watchdog gathers the facts; these decide.
 */

export interface StallContext {
  readonly now: number;
  /** No progress for this long (WATCHDOG_STALL_MS) is a stall. */
  readonly stallMs: number;
  /** The newsletter's pause/cancel state (the controls bucket). */
  readonly control: NewsletterControl['state'];
}

/** What a stalled newsletter still waits for. */
export interface Outstanding {
  /** First-pass batch indexes not counted yet. */
  readonly firstPass: readonly number[];
  /** Open re-send rounds; `batches` null while the round's size is not known yet. */
  readonly rounds: ReadonlyArray<{ readonly round: string; readonly batches: number | null; readonly counted: BatchBitset }>;
  /** Results arrived but the split event never did: how many batches there are is unknown. */
  readonly splitUnknown: boolean;
}

export type StallDecision =
  | { readonly stalled: false; readonly why: 'not sending' | 'paused or cancelled' | 'moving' | 'nothing outstanding' }
  | { readonly stalled: true; readonly idleMs: number; readonly outstanding: Outstanding };

/**
 * A newsletter is stalled when it is `sending` (not paused, scheduled, cancelled or final), nobody
 * paused or cancelled it, it still waits for batches (first pass or a round), and its record has
 * not changed for `stallMs` (every counted batch, split, round and resume changes it).
 */
export function stallOf(record: NewsletterRecord, context: StallContext): StallDecision {
  if (record.status !== 'sending') return { stalled: false, why: 'not sending' };
  if (context.control !== 'active') return { stalled: false, why: 'paused or cancelled' };
  const idleMs = context.now - Date.parse(record.updatedAt);
  if (!(idleMs >= context.stallMs)) return { stalled: false, why: 'moving' };
  const outstanding = outstandingOf(record);
  const waiting = outstanding.firstPass.length > 0 || outstanding.rounds.length > 0 || outstanding.splitUnknown;
  return waiting ? { stalled: true, idleMs, outstanding } : { stalled: false, why: 'nothing outstanding' };
}

export function outstandingOf(record: NewsletterRecord): Outstanding {
  const counted = BatchBitset.decode(record.countedBatches);
  const total = record.batches.total;
  const firstPass: number[] = [];
  for (let index = 0; total !== null && index < total; index += 1) if (!counted.has(index)) firstPass.push(index);
  const rounds = Object.entries(record.rounds)
    .filter(([, r]) => r.batches === null || r.completed < r.batches)
    .map(([round, r]) => ({ round, batches: r.batches, counted: BatchBitset.decode(r.counted) }));
  return { firstPass, rounds, splitUnknown: total === null && record.error === undefined };
}

/** What the watchdog knows of one batch's lease (bucket `batchLeases`). */
export interface LeaseFacts {
  /** A sender holds it right now. */
  readonly live: boolean;
  /** When it was last taken, renewed or released (server time); null: never leased. */
  readonly touchedAt: number | null;
}

/** A batch message still in the batches stream, already handed to a sender once (at or below the consumer's delivered sequence). */
export interface HandedOutBatch {
  /** Its result is already counted: this copy is a leftover. */
  readonly counted: boolean;
  /** When the stream stored it. */
  readonly storedAt: number;
  readonly lease: LeaseFacts;
}

export type HandedOutVerdict =
  /** A sender works on it: leave it alone. */
  | 'in-flight'
  /** Stored, leased or released within the stall time: it may be waiting for a redelivery (a nak delay, an ack wait). */
  | 'recent'
  /** Counted already, untouched for the stall time: a leftover copy, safe to remove. */
  | 'done'
  /** Not counted, untouched for the stall time, and the consumer is past it: it will not come back by itself. */
  | 'stranded';

export function judgeHandedOut(batch: HandedOutBatch, context: Pick<StallContext, 'now' | 'stallMs'>): HandedOutVerdict {
  if (batch.lease.live) return 'in-flight';
  const recent = (at: number | null) => at !== null && context.now - at < context.stallMs;
  if (recent(batch.storedAt) || recent(batch.lease.touchedAt)) return 'recent';
  return batch.counted ? 'done' : 'stranded';
}

/**
 * First-pass batches that are gone: not counted, no copy anywhere in the batches stream, and no
 * sender has held their lease within the stall time. Only meaningful when nothing of the
 * newsletter waits in the stream beyond the consumer's position (a queued copy is not "gone").
 */
export function lostIndexes(
  outstanding: readonly number[],
  inStream: ReadonlySet<number>,
  leases: ReadonlyMap<number, LeaseFacts>,
  context: Pick<StallContext, 'now' | 'stallMs'>,
): number[] {
  return outstanding.filter((index) => {
    if (inStream.has(index)) return false;
    const lease = leases.get(index);
    if (!lease) return true;
    return !lease.live && (lease.touchedAt === null || context.now - lease.touchedAt >= context.stallMs);
  });
}
