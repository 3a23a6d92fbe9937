import { isFinal, type CancelReason, type NewsletterStatus } from './newsletter-status';
import type { NewsletterView } from './newsletter-view';
import { DEFAULT_PRIORITY, type Priority } from './priority';
import { currentRate, type ProgressSample } from './progress';

/**
 * The stored state of one newsletter (KV bucket `newsletters`, key = id). The gateway creates it;
 * after that only the tracker changes it, with revision CAS, folding events in idempotently.
 */
export interface NewsletterRecord {
  readonly v: 1;
  readonly id: string;
  readonly status: NewsletterStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the splitter started on it. */
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  /** Recent progress, for the current rate and the time left. */
  readonly progress: readonly ProgressSample[];
  /** Recipients as submitted, duplicates and invalid ones included. */
  readonly submitted: number;
  /** Unique recipients, known once the list is split. */
  readonly total: number | null;
  readonly duplicates: number;
  readonly sent: number;
  readonly failed: number;
  /** Skipped because the address is on the suppression list. */
  readonly suppressed: number;
  /** Recipients who bounced after acceptance / complained (feedback service), each counted once; absent on older records. */
  readonly bounced?: number;
  readonly complained?: number;
  /**
   * Engagement of a tracked newsletter (`engagement.recorded`, tracker); absent on records without
   * any (older ones too): 0. `opens` and `clicks` count recipients, each once (the delivery ledger
   * marks who was counted); `clicksTotal` counts every click; `machineOpens` counts recipients whose
   * mail a machine opened (a mail privacy proxy fetching every image), each once and never in `opens`.
   */
  readonly opens?: number;
  readonly clicks?: number;
  readonly clicksTotal?: number;
  readonly machineOpens?: number;
  /**
   * Recipients whose address this newsletter's unsubscribe link put on the suppression list
   * (`unsubscribe.recorded`), each counted once; absent on records without any (older ones too): 0.
   */
  readonly unsubscribes?: number;
  /**
   * Clicks per link of a tracked newsletter: the first LINK_COUNT_LIMITS.links distinct URLs
   * clicked, in the order of their first click, as long as their URLs add up to no more than
   * LINK_COUNT_LIMITS.urlCharacters; every other URL's clicks are added up in `otherLinks` (a URL
   * personalised per recipient would otherwise grow the record without bound). Absent without
   * clicks, and on records from before them.
   */
  readonly links?: readonly LinkClicks[];
  readonly otherLinks?: LinkTally;
  /** Not sent because the newsletter was cancelled. */
  readonly cancelled: number;
  /** When a scheduled newsletter starts (null: at once). */
  readonly sendAt: string | null;
  /** A test send: no list, no suppression list, marked in the mail. */
  readonly test: boolean;
  /** The tenant of the key that created it; absent on records from before tenants (`tenantOf`: the default tenant). */
  readonly tenant?: string;
  /**
   * The request's `priority` (its share of the tenant's sending capacity); absent on records from
   * before priorities: `normal` (DEFAULT_PRIORITY). A test send or a one-recipient newsletter takes
   * the fast lane whatever this says (the lane is in its content, NewsletterContent.lane).
   */
  readonly priority?: Priority;
  readonly batches: { readonly total: number | null; readonly completed: number };
  /** Base64 bitset of the batch indexes already counted: a redelivered result is never counted twice. */
  readonly countedBatches: string;
  /** Batches that could not be processed and went to the dead letters (counted as completed). */
  readonly deadLetteredBatches: number;
  /** Re-send rounds (retry-failed `r<n>`, re-drive `redrive-<id>`), each counted like the first pass. */
  readonly rounds: Readonly<Record<string, RoundState>>;
  readonly error?: string;
  /**
   * When a cancel was asked for (status `cancelling`, then `cancelled`): the deadline for its
   * in-flight batches to report counts from here.
   */
  readonly cancelRequestedAt?: string;
  /** Why Mailroom cancelled it by itself (see CANCEL_REASONS); absent when a caller cancelled it. */
  readonly cancelReason?: CancelReason;
  /**
   * When the current pause began (status `paused`); absent when not paused, and on records paused
   * by a version before it (see `pausedForMs`).
   */
  readonly pausedAt?: string;
  /** How long its earlier pauses lasted, added up (ms); absent: none (or none since this was kept). */
  readonly pausedMs?: number;
  /**
   * First-pass batches in a sender's hands (key: batch index): their recipients settled so far,
   * from `batch.progressed`. Not in `sent`/`failed`/`suppressed` (those count finished batches
   * once); the view adds them, so progress moves while a batch is sent. A batch's entry goes when
   * its result is counted.
   */
  readonly inFlight?: Readonly<Record<string, BatchPartial>>;
}

/** Clicks on links: every click, and the recipients who clicked (each once per link). */
export interface LinkTally {
  readonly clicks: number;
  /** Recipients who clicked the link, each once; in `otherLinks`, recipient-and-link pairs. */
  readonly recipients: number;
}

/** One link's clicks (NewsletterRecord.links): its original URL, exactly as tracked. */
export interface LinkClicks extends LinkTally {
  readonly url: string;
}

/**
 * How many links a record counts one by one (NewsletterRecord.links), and how many characters
 * their URLs may take together (16,000: 50 links of 320 characters). Bounds the record, which is
 * written on every event of its newsletter, to some 20 KB of links.
 */
export const LINK_COUNT_LIMITS = { links: 50, urlCharacters: 16_000 } as const;

/** Recipients of one batch settled so far. */
export interface BatchPartial {
  readonly sent: number;
  readonly failed: number;
  readonly suppressed: number;
}

/** The recipients of in-flight batches settled so far, added up. */
export function inFlightCounts(record: Pick<NewsletterRecord, 'inFlight'>): BatchPartial {
  let sent = 0;
  let failed = 0;
  let suppressed = 0;
  for (const partial of Object.values(record.inFlight ?? {})) {
    sent += partial.sent;
    failed += partial.failed;
    suppressed += partial.suppressed;
  }
  return { sent, failed, suppressed };
}

/**
 * How long the newsletter has been paused, all its pauses added up, at `now` (epoch ms).
 * `pausedSince`: when the current pause began, for a record paused by a version that did not keep
 * `pausedAt` (the pause control's time); without either, its last change (`updatedAt`), which is
 * no earlier than the pause.
 */
export function pausedForMs(record: Pick<NewsletterRecord, 'status' | 'pausedAt' | 'pausedMs' | 'updatedAt'>, now: number, pausedSince?: string): number {
  const earlier = record.pausedMs ?? 0;
  if (record.status !== 'paused') return earlier;
  const since = Date.parse(record.pausedAt ?? pausedSince ?? record.updatedAt);
  return earlier + Math.max(0, now - since);
}

export interface RoundState {
  /** Known once the round's batches are published. */
  readonly batches: number | null;
  readonly completed: number;
  readonly counted: string;
  readonly requestedAt: string;
}

export function newNewsletterRecord(
  id: string,
  submitted: number,
  now: Date = new Date(),
  options: { readonly sendAt?: string; readonly test?: boolean; readonly tenant?: string; readonly priority?: Priority } = {},
): NewsletterRecord {
  const at = now.toISOString();
  return {
    v: 1,
    id,
    status: options.sendAt ? 'scheduled' : 'queued',
    sendAt: options.sendAt ?? null,
    test: options.test ?? false,
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    cancelled: 0,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    completedAt: null,
    progress: [],
    submitted,
    total: null,
    duplicates: 0,
    sent: 0,
    failed: 0,
    suppressed: 0,
    batches: { total: null, completed: 0 },
    countedBatches: '',
    deadLetteredBatches: 0,
    rounds: {},
  };
}

export function toNewsletterView(record: NewsletterRecord, now: number = Date.now()): NewsletterView {
  const total = record.total ?? record.submitted;
  // Batches still being sent show what they have settled so far (a settled newsletter has none).
  const partial = isFinal(record.status) ? { sent: 0, failed: 0, suppressed: 0 } : inFlightCounts(record);
  const sent = record.sent + partial.sent;
  const failed = record.failed + partial.failed;
  const suppressed = record.suppressed + partial.suppressed;
  const pending = Math.max(0, total - sent - failed - suppressed - (record.cancelled ?? 0));
  // Nothing moves while settled, paused or waiting for its sendAt: no rate, no ETA (a recent rate
  // would otherwise promise an end that is not coming).
  const still = isFinal(record.status) || record.status === 'paused' || record.status === 'scheduled' || record.status === 'cancelling';
  const rate = still ? 0 : currentRate(record.progress, now);
  return {
    id: record.id,
    status: record.status,
    total,
    sent,
    failed,
    suppressed,
    cancelled: record.cancelled ?? 0,
    bounced: record.bounced ?? 0,
    complained: record.complained ?? 0,
    opens: record.opens ?? 0,
    clicks: record.clicks ?? 0,
    clicksTotal: record.clicksTotal ?? 0,
    machineOpens: record.machineOpens ?? 0,
    unsubscribes: record.unsubscribes ?? 0,
    links: linksView(record),
    pending,
    duplicates: record.duplicates,
    batches: {
      total: record.batches.total,
      completed: record.batches.completed,
      deadLettered: record.deadLetteredBatches,
    },
    rounds: Object.entries(record.rounds).map(([id, r]) => ({
      id,
      batches: r.batches,
      completed: r.completed,
      requestedAt: r.requestedAt,
    })),
    createdAt: record.createdAt,
    sendAt: record.sendAt ?? null,
    test: record.test ?? false,
    priority: record.priority ?? DEFAULT_PRIORITY,
    startedAt: record.startedAt,
    completedAt: record.completedAt,
    ratePerSecond: Math.round(rate * 10) / 10,
    etaSeconds: rate > 0 && pending > 0 ? Math.ceil(pending / rate) : null,
    ...(record.error ? { error: record.error } : {}),
    ...(record.cancelReason ? { cancelReason: record.cancelReason } : {}),
  };
}

/** The links by clicks, most first (ties in the order of their first click), and the rest (`url: null`) last. */
function linksView(record: Pick<NewsletterRecord, 'links' | 'otherLinks'>): NewsletterView['links'] {
  const links = [...(record.links ?? [])].sort((a, b) => b.clicks - a.clicks).map(({ url, clicks, recipients }) => ({ url, clicks, recipients }));
  const other = record.otherLinks;
  return other && other.clicks > 0 ? [...links, { url: null, clicks: other.clicks, recipients: other.recipients }] : links;
}

/**
 * Opens a re-send round: the newsletter is `sending` until the round's batches are counted. A
 * retry-failed round needs a settled newsletter; a re-drive may join one still sending. Null when
 * refused (not settled, or the round exists).
 */
export function openRound(
  record: NewsletterRecord,
  round: string,
  now: Date = new Date(),
  options: { readonly requireSettled: boolean; readonly batches?: number } = { requireSettled: true },
): NewsletterRecord | null {
  if (record.rounds[round] || (options.requireSettled && !isFinal(record.status))) return null;
  const at = now.toISOString();
  return {
    ...record,
    status: 'sending',
    completedAt: null,
    updatedAt: at,
    rounds: { ...record.rounds, [round]: { batches: options.batches ?? null, completed: 0, counted: '', requestedAt: at } },
  };
}

/** The next retry-failed round id: r1, r2, … */
export function nextRetryRound(record: NewsletterRecord): string {
  const used = Object.keys(record.rounds).filter((r) => /^r\d+$/.test(r)).length;
  return `r${used + 1}`;
}
