/**
 * Deliveries that are not a retry of deferred recipients and do not back off: a batch handed back
 * because a wait ran past its bound or at shutdown (1 s), another sender's lease (until it ends),
 * a crash (the ack wait). As many as the boot allowed before deferral had an age limit.
 */
export const BATCH_HAND_BACK_SLACK = 10;

export interface BatchMaxDeliverInput {
  readonly maxAttempts: number;
  readonly maxDeferralMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}

/**
 * The batch consumer's `max_deliver`. It is a backstop only (a batch that fails every delivery
 * is dead-lettered): the ledger decides when a recipient stops being retried, after MAX_ATTEMPTS
 * counted attempts or MAX_DEFERRAL_HOURS after its first deferral. So it must not dead-letter a
 * batch before its recipients' maximum age is reached, even in an outage that lasts that long.
 *
 * A batch with deferred recipients is redelivered after the transport's backoff: doubling from
 * RETRY_BASE_DELAY_MS up to RETRY_MAX_DELAY_MS, jittered into the upper half (see `backoffDelayMs`;
 * a wait for an open breaker is handed back no sooner than that backoff either). Deliveries
 * within the maximum age are therefore at most: those while the delay climbs to its cap, plus
 * one per half cap of the age, plus one per counted attempt, plus the hand-backs above.
 */
export function batchMaxDeliver(input: BatchMaxDeliverInput): number {
  const { maxAttempts, maxDeferralMs, retryBaseDelayMs, retryMaxDelayMs } = input;
  const climbing = retryBaseDelayMs > 0 && retryMaxDelayMs > retryBaseDelayMs ? Math.ceil(Math.log2(retryMaxDelayMs / retryBaseDelayMs)) + 1 : 1;
  // At the cap a redelivery comes at least half of it later (1 ms at least: a cap of 0 is allowed).
  const shortestCappedDelayMs = Math.max(1, retryMaxDelayMs / 2);
  const withinMaxAge = Math.ceil(maxDeferralMs / shortestCappedDelayMs);
  return maxAttempts + climbing + withinMaxAge + BATCH_HAND_BACK_SLACK;
}
