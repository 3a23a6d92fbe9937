import { isTransientNatsError } from './transient-errors';

interface RetryTransientOptions {
  /** Give up (rethrow the last error) once this much time has passed. */
  readonly budgetMs: number;
  /** Longest pause between two tries (backoff doubles from 100 ms up to this). */
  readonly maxDelayMs?: number;
  /** Which errors are worth another try (default: `isTransientNatsError`). */
  readonly retryable?: (error: unknown) => boolean;
  /** Told about each failed try that will be tried again (for a log line). */
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Runs `operation` until it succeeds, a non-retryable error occurs or the budget is spent. The
 * operation must be safe to repeat (a put of the same value, a create that tolerates "exists",
 * a publish with a msgID): a timed-out request may have been applied.
 */
export async function retryTransient<T>(operation: () => Promise<T>, options: RetryTransientOptions): Promise<T> {
  const deadline = Date.now() + options.budgetMs;
  const retryable = options.retryable ?? isTransientNatsError;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!retryable(error) || Date.now() >= deadline) throw error;
      options.onRetry?.(error, attempt);
      const delay = Math.min(maxDelayMs, 100 * 2 ** Math.min(attempt - 1, 6), Math.max(0, deadline - Date.now()));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
