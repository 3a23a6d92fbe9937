import { retryTransient } from '../resilience/retry-transient';

/**
 * Retries a KV write through a short broker outage (reconnecting, a leader election). Writes here
 * are idempotent puts or deletes, so repeating one is harmless; after `budgetMs` the error
 * surfaces. Any error is retried (a write that fails for good fails the same way each time, and
 * only costs the budget). The pause between tries stays short (≤ 250 ms): with a short request
 * timeout, a write lands within about a request timeout of a new leader being elected.
 */
export function retryWrite<T>(write: () => Promise<T>, budgetMs = 30_000): Promise<T> {
  return retryTransient(write, { budgetMs, maxDelayMs: 250, retryable: () => true });
}
