import { hash } from 'node:crypto';

/**
 * One recipient's outcome for one newsletter (KV bucket `ledger`). Written by the sender right
 * after each SMTP transaction; read before every (re)delivery of a batch so that nobody who was
 * accepted is sent to again.
 */
export interface LedgerEntry {
  /**
   * accepted: the server took it. deferred: a transient failure, to retry. failed: final for this
   * pass (a re-send round may try a non-permanent one again). suppressed: skipped, on the
   * suppression list.
   */
  readonly state: 'accepted' | 'deferred' | 'failed' | 'suppressed';
  readonly email: string;
  /** SMTP attempts in all (an attempt that found every circuit breaker open is not one). */
  readonly attempts: number;
  /**
   * Attempts in the current pass or round that count against MAX_ATTEMPTS: answers about the
   * recipient or the message. A provider failing at its own end (no connection, no reply,
   * throttling) does not count; entries written by older senders counted every attempt.
   */
  readonly passAttempts?: number;
  readonly code?: number;
  readonly reason?: string;
  /**
   * Never retried, not even by a re-send round: a 5xx reply, or no reply to the end of DATA (the
   * message may have been delivered; the reason says so).
   */
  readonly permanent?: boolean;
  /**
   * ISO time of the recipient's first deferral in this pass or round, on `deferred` entries (and
   * on a failure for being deferred too long): deferred mail fails once it is older than the
   * sender's MAX_DEFERRAL_HOURS. Absent on entries written before it existed: read `at` instead.
   */
  readonly deferredSince?: string;
  /** The re-send round this entry was written in (absent: the first pass). */
  readonly round?: string;
  /** The SMTP provider (configured name) that gave this outcome; absent when none was tried. */
  readonly provider?: string;
  readonly at: string;
  /**
   * When a bounce or complaint about this email was first counted (feedback service → tracker):
   * a later report about the same recipient and kind is not counted again. Absent on entries
   * without feedback, and on every entry written before it existed.
   */
  readonly feedback?: { readonly bounce?: string; readonly complaint?: string };
  /**
   * When the recipient was first counted as opening the newsletter (its pixel loaded by a reader),
   * as opening it by machine (a mail privacy proxy fetching every image: never an `open`), and as
   * following a tracked link (engagement tracking → tracker): a later one of the same kind is not
   * counted as a unique one again. Absent without engagement, and on entries written before it existed.
   */
  readonly engagement?: { readonly open?: string; readonly machineOpen?: string; readonly click?: string };
}

/** A recipient that finally failed (KV bucket `failures`, key `<newsletterId>.<address hash>`). */
export interface FailureEntry {
  readonly email: string;
  /** The batch it was sent in; -1 for an address refused before batching (invalid). */
  readonly batchIndex: number;
  readonly code?: number;
  readonly reason: string;
  /** Never retried, not even by retry-failed: a 5xx reply, or no reply to the end of DATA (perhaps delivered). */
  readonly permanent: boolean;
  /** SMTP attempts; 0 when no provider could ever be tried (every breaker open until the maximum age). */
  readonly attempts: number;
  /** The SMTP provider (configured name) of the last attempt, when one was tried. */
  readonly provider?: string;
  readonly at: string;
}

export function failureKey(newsletterId: string, email: string): string {
  return `${newsletterId}.${addressHash(email)}`;
}

export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** An address never to send to again (KV bucket `suppressions`, key = `suppressionKey`: the mailbox, in any case). */
export interface SuppressionEntry {
  /** The address as suppressed; empty on an erased entry (`erased`), which keeps no readable address. */
  readonly email: string;
  /**
   * Left by an erasure (GDPR Art. 17, DELETE /v1/subscribers/{email}): the address is gone from
   * the entry and lives on only as its key (a hash of the mailbox), so it is never mailed again.
   */
  readonly erased?: true;
  readonly reason: SuppressionReason;
  readonly at: string;
  /** What caused it: the newsletter of a bounce or an unsubscribe, or the API caller. */
  readonly source?: string;
  readonly detail?: string;
}

/** `<newsletterId>.<batchIndex>.<address hash>`: one batch's entries share a prefix (a newsletter's, for the tracker's listing). */
export function ledgerKey(newsletterId: string, batchIndex: number, email: string): string {
  return `${ledgerBatchPrefix(newsletterId, batchIndex)}.${addressHash(email)}`;
}

/**
 * `<newsletterId>.<batchIndex>.opened`: written when a sender first opens the batch, before any
 * entry (see DeliveryLedger.openBatch). Its last token is never an address hash (22 characters).
 */
export function ledgerOpenedKey(newsletterId: string, batchIndex: number): string {
  return `${ledgerBatchPrefix(newsletterId, batchIndex)}.${LEDGER_OPENED}`;
}

/**
 * False for a batch's "opened" marker and for the counting markers, all of four tokens: a counted
 * click's (DeliveryLedger.claimClick), a recipient's first click on a link (`ledgerLinkKey`) and a
 * counted unsubscribe (`ledgerUnsubscribeKey`): what anyone reading the ledger by wildcard must
 * skip. An entry's key is `<newsletterId>.<batchIndex>.<address hash>`.
 */
export function isLedgerEntryKey(key: string): boolean {
  return !key.endsWith(`.${LEDGER_OPENED}`) && key.split('.').length === 3;
}

const LEDGER_OPENED = 'opened';

/**
 * `<newsletterId>.<batchIndex>.<address hash>.link-<URL hash>`: the recipient's first click on this
 * link was counted (DeliveryLedger.claimLink). Under the recipient's entry like a click's marker,
 * whose last token is 22 characters: this one's is 27, so the two never meet.
 */
export function ledgerLinkKey(newsletterId: string, batchIndex: number, email: string, url: string): string {
  return `${ledgerKey(newsletterId, batchIndex, email)}.link-${hash('sha256', url, 'base64url').slice(0, 22)}`;
}

/**
 * `<newsletterId>.unsubscribed.<address hash>.counted`: the recipient's unsubscribe through this
 * newsletter's link was counted (DeliveryLedger.claimUnsubscribe). The link names no batch, so the
 * second token is a word, never a batch index; four tokens, so never taken for an entry, and a
 * `*.*.<address hash>` scan does not match it.
 */
export function ledgerUnsubscribeKey(newsletterId: string, email: string): string {
  return `${newsletterId}.${LEDGER_UNSUBSCRIBED}.${addressHash(email)}.counted`;
}

const LEDGER_UNSUBSCRIBED = 'unsubscribed';

export function ledgerBatchPrefix(newsletterId: string, batchIndex: number): string {
  return `${newsletterId}.${batchIndex}`;
}

/**
 * Addresses never appear in keys (keys show up in server logs and tooling). Computed several
 * times per recipient on the hot path: the one-shot `hash` costs half of a Hash object.
 */
export function addressHash(email: string): string {
  return hash('sha256', email, 'base64url').slice(0, 22);
}
