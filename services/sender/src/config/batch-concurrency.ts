/** The gateway's default batch size: what the concurrency rule assumes a batch holds. */
export const TYPICAL_BATCH_SIZE = 100;

/**
 * How many batches one sender process may hold at once. Every batch it holds must be sendable
 * before its ack deadline even at the slowest provider's full rate (the one failover may leave
 * all traffic on): at most ⌊rate × ackWait ÷ 100⌋ batches of 100, never fewer than one, never
 * more than SENDER_CONCURRENCY. Providers without a rate impose no cap.
 *
 * Bigger batches, a newsletter cap below the provider's rate, or AIMD slowing a provider down can
 * still stretch a batch past one ack wait; the transport's working() calls cover that, and each
 * token wait is bounded (see `tokenWaitLimitMs`).
 */
export function batchConcurrency(options: {
  readonly configured: number;
  readonly ackWaitMs: number;
  readonly providerRates: readonly (number | undefined)[];
}): number {
  const rates = options.providerRates.filter((rate): rate is number => rate !== undefined);
  if (rates.length === 0) return options.configured;
  const sendable = Math.floor((Math.min(...rates) * options.ackWaitMs) / 1000 / TYPICAL_BATCH_SIZE);
  return Math.max(1, Math.min(options.configured, sendable));
}
