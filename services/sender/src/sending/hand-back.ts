import { RetryableError } from '@mailroom/jetstream';
import { SenderStoppingError, TokenWaitTimeoutError } from '../rate-limits/rate-limit-wait.errors';

/** Redelivery delay of a batch handed back because a wait was cut short. */
export const HAND_BACK_DELAY_MS = 1_000;

/**
 * A wait cut short (shutdown, or a wait past its bound) becomes a quick hand-back of the batch:
 * recipients already sent are in the ledger, the rest go out on the next delivery. Anything else
 * (a bug, a PermanentError) passes through as it was.
 */
export function handBack(error: unknown): unknown {
  if (error instanceof SenderStoppingError) {
    return new RetryableError('Sender shutting down; batch handed back', { delayMs: HAND_BACK_DELAY_MS, cause: error });
  }
  if (error instanceof TokenWaitTimeoutError) {
    return new RetryableError(`${error.message}; batch handed back`, { delayMs: HAND_BACK_DELAY_MS, cause: error });
  }
  return error;
}
