export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Shown in the timeout error, with the last value seen. */
  readonly description: string;
}

/**
 * Polls `probe` until it returns a value `done` accepts, or fails after the deadline with the last
 * value it saw. Never a fixed sleep: it returns as soon as the condition holds.
 */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = lastError ? `error: ${(lastError as Error).message}` : `last value: ${safeJson(last)}`;
      throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.description} (${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}
