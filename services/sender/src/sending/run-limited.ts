/**
 * Runs `task` for every item with at most `limit` running at once. Keeping the number of queued
 * SMTP sends small means the checks made just before a send (connection, lease) are still true
 * when it actually goes out.
 */
export async function runLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next]!;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('Task failed', { cause: failure });
}
