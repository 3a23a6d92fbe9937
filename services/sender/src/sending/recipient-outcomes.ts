import {
  RECIPIENT_EVENTS_DUPLICATE_WINDOW_MS,
  addressHash,
  recipientEventId,
  tenantOf,
  type BatchReadyEvent,
  type LedgerEntry,
  type NewsletterContent,
  type RecipientEvent,
} from '@mailroom/contracts';

/**
 * A settled outcome re-announced by a redelivered batch only while the stream can still recognise
 * it as a duplicate (its msgID is the event id), with a margin for the time the publish takes.
 */
export const REANNOUNCE_WITHIN_MS = RECIPIENT_EVENTS_DUPLICATE_WINDOW_MS - 15_000;

/**
 * The `recipient.delivered` / `recipient.failed` event of a ledger entry, or undefined for an
 * entry that is no final outcome (deferred, suppressed). `response`: the server's reply to an
 * accepted message (the ledger does not keep it). The id names the pass or round and the address
 * (hashed), so the same outcome announced again is the same event.
 */
export function outcomeEvent(batch: BatchReadyEvent, content: NewsletterContent, entry: LedgerEntry, response?: string): RecipientEvent | undefined {
  if (entry.state !== 'accepted' && entry.state !== 'failed') return undefined;
  const kind = entry.state === 'accepted' ? 'delivered' : 'failed';
  const smtpResponse = kind === 'delivered' ? response : entry.reason;
  return {
    id: recipientEventId(kind, batch.newsletterId, `${batch.round ?? 'first'}:${addressHash(entry.email)}`),
    kind,
    newsletterId: batch.newsletterId,
    occurredAt: entry.at,
    email: entry.email,
    tenant: tenantOf(content),
    batchIndex: batch.batchIndex,
    ...(batch.round !== undefined ? { round: batch.round } : {}),
    ...(entry.code !== undefined ? { smtpCode: entry.code } : {}),
    ...(smtpResponse !== undefined ? { smtpResponse: smtpResponse.slice(0, 1_000) } : {}),
    ...(kind === 'failed' ? { permanent: entry.permanent === true } : {}),
    ...(entry.provider !== undefined ? { provider: entry.provider } : {}),
  };
}

/**
 * Whether a redelivered batch announces again an outcome an earlier delivery settled: its event
 * may have been lost with a sender that crashed between the ledger write and the publish. Only
 * while the stream's duplicate window still covers the first publish, so a batch redelivered for
 * its deferred recipients does not repeat the others' events.
 */
export function shouldReannounce(entry: LedgerEntry, batch: BatchReadyEvent, deliveryCount: number, now = Date.now()): boolean {
  if (deliveryCount <= 1 || entry.round !== batch.round) return false;
  return now - Date.parse(entry.at) < REANNOUNCE_WITHIN_MS;
}
