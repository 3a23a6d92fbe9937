import { isTransientNatsError } from '../resilience/transient-errors';
import { PermanentError, RetryableError } from './handler-errors';

/**
 * Redelivery delay after a handler failed on NATS itself (a request timed out during a leader
 * election, a reconnect): nothing is wrong with the message, and the election is over in seconds.
 */
export const TRANSIENT_NATS_DELAY_MS = 1_000;

export interface RetryPolicy {
  /** Deliveries allowed in total (the consumer's max_deliver). */
  readonly maxDeliver: number;
  /** Delay before the first redelivery; doubles each time. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export type Settlement =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak'; readonly delayMs: number }
  | { readonly kind: 'term'; readonly reason: string };

/**
 * Exponential backoff with "full jitter" from the delivery count. We compute it ourselves: a bare
 * nak redelivers at once on nats-server 2.9, and the consumer's `backoff` only applies to ack
 * timeouts.
 */
export function backoffDelayMs(policy: RetryPolicy, deliveryCount: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, deliveryCount - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  // Never below half the ceiling: redeliveries spread out but still back off.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What to do with a message whose handler threw `error` on delivery number `deliveryCount`. */
export function settleFailure(
  error: unknown,
  deliveryCount: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Settlement {
  if (error instanceof PermanentError) return { kind: 'term', reason: `${error.name}: ${error.message}` };
  if (deliveryCount >= policy.maxDeliver) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'term', reason: `max deliveries (${policy.maxDeliver}) reached: ${message}` };
  }
  const requested = error instanceof RetryableError ? error.options.delayMs : isTransientNatsError(error) ? TRANSIENT_NATS_DELAY_MS : undefined;
  return { kind: 'nak', delayMs: requested ?? backoffDelayMs(policy, deliveryCount, random) };
}
