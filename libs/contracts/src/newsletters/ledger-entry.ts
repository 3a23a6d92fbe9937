import { createHash } from 'node:crypto';

/**
 * One recipient's outcome for one newsletter (KV bucket `ledger`). Written by the sender right
 * after each SMTP transaction; read before every (re)delivery of a batch so that nobody who was
 * accepted is sent to again.
 */
export interface LedgerEntry {
  /** accepted: the server took it. deferred: a transient failure, to retry. failed: final. */
  readonly state: 'accepted' | 'deferred' | 'failed';
  readonly email: string;
  readonly attempts: number;
  readonly code?: number;
  readonly reason?: string;
  /** The failure was a 5xx reply: never retried. */
  readonly permanent?: boolean;
  readonly at: string;
}

/** `<newsletterId>.<batchIndex>.<address hash>`: one batch's entries share a prefix, so a redelivered batch reads them with one filtered scan. */
export function ledgerKey(newsletterId: string, batchIndex: number, email: string): string {
  return `${ledgerBatchPrefix(newsletterId, batchIndex)}.${addressHash(email)}`;
}

export function ledgerBatchPrefix(newsletterId: string, batchIndex: number): string {
  return `${newsletterId}.${batchIndex}`;
}

/** Addresses never appear in keys (keys show up in server logs and tooling). */
export function addressHash(email: string): string {
  return createHash('sha256').update(email).digest('base64url').slice(0, 22);
}
