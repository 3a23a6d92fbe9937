import { MAX_BATCH_RECIPIENT_BYTES, type Recipient } from '@mailroom/contracts';

/** What one batch may carry (BatchReadyEvent's limit). */
export const MAX_BATCH_RECIPIENTS = 1_000;

/**
 * Lost first-pass batches, rebuilt: each lost index keeps the recipients the ledger already
 * files under it (a batch lost half-way: the sender skips the settled ones and counts them), and
 * the recipients no batch accounts for are spread over the lost indexes in list order. Which lost
 * index a recipient lands in does not matter for exactly-once: nobody else has it, and the ledger
 * files it under the index it is sent in. Null when a batch would pass a message's limits.
 */
export function assignToLostBatches(
  lost: readonly number[],
  own: ReadonlyMap<number, readonly Recipient[]>,
  leftovers: readonly Recipient[],
): Map<number, Recipient[]> | null {
  const indexes = [...lost].sort((a, b) => a - b);
  const batches = new Map<number, Recipient[]>();
  if (indexes.length === 0) return leftovers.length === 0 ? batches : null;
  const base = Math.floor(leftovers.length / indexes.length);
  const extra = leftovers.length % indexes.length;
  let next = 0;
  for (const [i, index] of indexes.entries()) {
    const share = base + (i < extra ? 1 : 0);
    const recipients = [...(own.get(index) ?? []), ...leftovers.slice(next, next + share)];
    next += share;
    if (recipients.length > MAX_BATCH_RECIPIENTS) return null;
    if (Buffer.byteLength(JSON.stringify(recipients)) > MAX_BATCH_RECIPIENT_BYTES) return null;
    batches.set(index, recipients);
  }
  return batches;
}
