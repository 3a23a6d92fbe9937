import { Inject, Injectable } from '@nestjs/common';
import {
  BatchBitset,
  isFinal,
  newNewsletterRecord,
  nextRetryRound,
  openRound,
  type BatchProgressedEvent,
  type NewsletterRecord,
  type NewsletterRoundStartedEvent,
  type NewsletterSplitEvent,
  type NewsletterSplitFailedEvent,
  type CancelReason,
  type NewsletterStatus,
  type Priority,
} from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { casUpdate, type RecordChange } from '../storage/cas-update';
import { LiveKvMap, type LiveView } from '../storage/live-kv-map';
import { STORES_TOKEN } from '../stores/stores.token';
import { KeyedMutex } from './keyed-mutex';
import { foldBatchCompleted, foldBatchProgressed, foldEngagement, foldFeedback, foldCancel, foldCancelDeadline, foldPause, foldResume, foldRoundStarted, foldSplit, foldSplitFailed, foldSplitStarted, foldUnsubscribe, type BatchCounts, type EngagementCount } from './newsletter-fold';
import { RefusedTransitionError, canTransition, isAllowedMove } from './newsletter-status-machine';

export type NewsletterChange = RecordChange<NewsletterRecord>;

/** A re-send round opened for retry-failed: its id, and the record as it was before. */
export type OpenedRound = { readonly kind: 'missing' | 'unchanged' } | { readonly kind: 'updated'; readonly round: string; readonly previous: NewsletterRecord };

/** A dead batch put back as a round of its own: refused until the tracker has counted it. */
export type RedriveReopening = 'reopened' | 'not-counted' | 'missing';

/**
 * The newsletters bucket (`<ns>-newsletters`, key = newsletter id, value = JSON NewsletterRecord
 * v1) and every change made to a record, each a named transition of the status machine
 * (NEWSLETTER_TRANSITIONS). Writes are compare-and-set on the entry's revision (several tracker
 * replicas, the gateway and the splitter's scheduler all write), serialised per newsletter inside
 * this process to avoid needless conflicts. A change of status the machine does not allow throws
 * RefusedTransitionError and is never stored.
 */
@Injectable()
export class NewsletterRecords {
  private readonly mutex = new KeyedMutex();

  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  async get(id: string): Promise<NewsletterRecord | null> {
    const entry = await this.stores.newsletters.get(id);
    return entry && entry.operation === 'PUT' ? entry.json<NewsletterRecord>() : null;
  }

  /** A new record (`scheduled` with a sendAt, else `queued`); fails when the id exists. */
  async create(id: string, submitted: number, options: { readonly sendAt?: string; readonly test: boolean; readonly tenant?: string; readonly priority?: Priority }): Promise<void> {
    const record = newNewsletterRecord(id, submitted, new Date(), options);
    await this.stores.newsletters.create(id, JSON.stringify(record));
  }

  /** Removes a record (a newsletter that could not be queued after all). */
  async remove(id: string): Promise<void> {
    await this.stores.newsletters.delete(id);
  }

  /**
   * Removes a record that settled (`completedAt`) at or before `cutoffMs` (the retention
   * cleaner). Compare-and-set on the revision read: a record that changed meanwhile (reopened by
   * a retry) is kept. True when removed.
   */
  async removeSettledBefore(id: string, cutoffMs: number): Promise<boolean> {
    return this.mutex.run(id, async () => {
      const entry = await this.stores.newsletters.get(id);
      if (!entry || entry.operation !== 'PUT') return false;
      if (!settledBefore(entry.json<NewsletterRecord>(), cutoffMs)) return false;
      try {
        await this.stores.newsletters.delete(id, { previousSeq: entry.revision });
        return true;
      } catch {
        return false;
      }
    });
  }

  /**
   * Every record, summarised by `summarize` and followed live (a KV watch: one message per change,
   * no scan per read). `onChange` hears of every record once loaded, then of every change
   * (undefined: removed). Close it to stop following.
   */
  follow<T>(summarize: (record: NewsletterRecord) => T, onChange: (id: string, summary: T | undefined) => void): Promise<LiveView<T>> {
    return LiveKvMap.open(this.stores.newsletters, (entry) => summarize(entry.json<NewsletterRecord>()), { onChange });
  }

  // ── Status transitions (see NEWSLETTER_TRANSITIONS) ───────────────────────────────────────

  /** A scheduled newsletter whose request was just published: `scheduled` → `queued`. */
  queue(id: string): Promise<NewsletterChange> {
    return this.change(id, (r) => (canTransition('queue', r.status) ? { ...r, status: 'queued', updatedAt: now() } : null));
  }

  /** Paused; when the pause began is kept (`pausedAt`), so that a pause can be bounded. */
  pause(id: string): Promise<NewsletterChange> {
    return this.change(id, (r) => (canTransition('pause', r.status) ? foldPause(r, now()) : null));
  }

  /** Back to what it was doing when paused; the pause's length joins `pausedMs`. */
  resume(id: string): Promise<NewsletterChange> {
    return this.change(id, (r) => (canTransition('resume', r.status) ? foldResume(r, now(), runningStatus(r)) : null));
  }

  /**
   * `cancelling` (a scheduled one: `cancelled` at once); it settles as `cancelled` once its
   * in-flight batches are accounted for (see foldCancel).
   */
  cancel(id: string, at: string): Promise<NewsletterChange> {
    return this.change(id, (r) => (canTransition('cancel', r.status) ? foldCancel(r, at) : null));
  }

  /**
   * Cancels a newsletter that is still `paused` and, read again under compare-and-set, still
   * `due` (the leading tracker: paused longer than PAUSE_LIMIT_MS), with `reason`. Unchanged when
   * it was resumed or cancelled meanwhile.
   */
  cancelPaused(id: string, at: string, reason: CancelReason, due: (record: NewsletterRecord) => boolean): Promise<NewsletterChange> {
    return this.change(id, (r) => (r.status === 'paused' && due(r) ? foldCancel(r, at, reason) : null));
  }

  /** A `cancelling` newsletter whose deadline passed: `cancelled` with the counts as they stand. */
  settleCancelAtDeadline(id: string, at: string): Promise<NewsletterChange> {
    return this.change(id, (r) => foldCancelDeadline(r, at));
  }

  /** Opens the next retry-failed round (`r1`, `r2` …) on a settled newsletter. */
  async openRetryRound(id: string): Promise<OpenedRound> {
    let round = '';
    const opened = await this.change(id, (record) => {
      round = nextRetryRound(record);
      return openRound(record, round);
    });
    return opened.kind === 'updated' ? { kind: 'updated', round, previous: opened.previous } : { kind: opened.kind };
  }

  /** Undoes `openRetryRound` when its request could not be published (and nothing else touched the round). */
  async closeUnstartedRound(id: string, round: string, before: NewsletterRecord): Promise<void> {
    await this.change(id, (record) => {
      const state = record.rounds[round];
      if (!state || state.batches !== null || state.completed > 0) return null;
      const rounds = { ...record.rounds };
      delete rounds[round];
      return { ...record, rounds, status: before.status, completedAt: before.completedAt };
    });
  }

  /**
   * Opens round `round` of one batch for a re-driven dead batch (`deadRound`: the round it died
   * in, undefined for the first pass). The tracker counts a dead batch (its recipients as failed)
   * before it can be put back; re-driving earlier would leave that first count missing for good.
   */
  async reopenForRedrive(id: string, redrive: { readonly round: string; readonly deadRound?: string; readonly batchIndex: number }): Promise<RedriveReopening> {
    let counted = true;
    const result = await this.change(id, (record) => {
      const bits = redrive.deadRound ? (record.rounds[redrive.deadRound]?.counted ?? '') : record.countedBatches;
      // A cancelling newsletter is reopened only once it has settled (as cancelled).
      counted = record.status !== 'cancelling' && BatchBitset.decode(bits).has(redrive.batchIndex);
      return counted ? openRound(record, redrive.round, new Date(), { requireSettled: false, batches: 1 }) : null;
    });
    if (result.kind === 'missing') return 'missing';
    return counted ? 'reopened' : 'not-counted';
  }

  /** A failed newsletter that was never split, whose dead-lettered request is put back: queued again. */
  requeue(id: string): Promise<NewsletterChange> {
    return this.change(id, (record) => {
      if (!canTransition('requeue', record.status) || record.batches.total !== null) return null;
      const { error: _error, ...rest } = record;
      return { ...rest, status: 'queued', completedAt: null, updatedAt: now() };
    });
  }

  // ── Counting (the tracker folds events in; see newsletter-fold) ────────────────────────────

  startSplit(id: string, at: string): Promise<NewsletterChange> {
    return this.change(id, (r) => foldSplitStarted(r, at));
  }

  countSplit(event: NewsletterSplitEvent): Promise<NewsletterChange> {
    return this.change(event.newsletterId, (r) => foldSplit(r, event));
  }

  failSplit(event: NewsletterSplitFailedEvent): Promise<NewsletterChange> {
    return this.change(event.newsletterId, (r) => foldSplitFailed(r, event));
  }

  /** One batch's outcome, once (a redelivered result finds it counted); `deadLettered` for a dead batch. */
  countBatch(id: string, counts: BatchCounts, deadLettered = false): Promise<NewsletterChange> {
    return this.change(id, (r) => foldBatchCompleted(r, counts, deadLettered));
  }

  /** How far a batch in a sender's hands has got (shown until its result is counted). */
  countBatchProgress(event: BatchProgressedEvent): Promise<NewsletterChange> {
    return this.change(event.newsletterId, (r) => foldBatchProgressed(r, event));
  }

  /** A round's batches are published: its size is known. */
  countRoundStarted(event: NewsletterRoundStartedEvent): Promise<NewsletterChange> {
    return this.change(event.newsletterId, (r) => foldRoundStarted(r, event));
  }

  /** A bounce or complaint about one recipient, counted (the caller made sure it is the first of its kind). */
  countFeedback(newsletterId: string, kind: 'bounce' | 'complaint', at: string): Promise<NewsletterChange> {
    return this.change(newsletterId, (r) => foldFeedback(r, kind, at));
  }

  /**
   * An open or click of one recipient (the caller asked the ledger whether it is the recipient's
   * first of its kind, and claimed each click once). Unchanged when nothing counts (a repeated open).
   */
  countEngagement(newsletterId: string, count: EngagementCount): Promise<NewsletterChange> {
    return this.change(newsletterId, (r) => foldEngagement(r, count));
  }

  /** An unsubscribe through the newsletter's link (the caller claimed it once per recipient). */
  countUnsubscribe(newsletterId: string): Promise<NewsletterChange> {
    return this.change(newsletterId, (r) => foldUnsubscribe(r));
  }

  /** The record as it is, as a change that changed nothing (or `missing`). */
  async current(id: string): Promise<NewsletterChange> {
    const record = await this.get(id);
    return record ? { kind: 'unchanged', value: record } : { kind: 'missing' };
  }

  private change(id: string, change: (record: NewsletterRecord) => NewsletterRecord | null): Promise<NewsletterChange> {
    return this.mutex.run(id, () =>
      casUpdate<NewsletterRecord>(this.stores.newsletters, id, (current) => {
        const next = change(current);
        if (next && !isAllowedMove(current.status, next.status)) throw new RefusedTransitionError(id, current.status, next.status);
        return next;
      }),
    );
  }
}

const now = () => new Date().toISOString();

/** Settled (a final status) at or before `cutoffMs`: past its retention when the cutoff is now − retention. */
export function settledBefore(record: NewsletterRecord, cutoffMs: number): boolean {
  return isFinal(record.status) && record.completedAt !== null && Date.parse(record.completedAt) <= cutoffMs;
}

/** What a resumed newsletter is doing again. */
function runningStatus(record: NewsletterRecord): NewsletterStatus {
  if (record.batches.total !== null) return 'sending';
  return record.startedAt ? 'splitting' : 'queued';
}
