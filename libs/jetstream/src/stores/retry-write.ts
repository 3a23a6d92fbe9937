/**
 * Retries a KV write through a short broker outage (reconnecting, leader change). Writes here are
 * idempotent puts or deletes, so repeating one is harmless; after `budgetMs` the error surfaces.
 */
export async function retryWrite<T>(write: () => Promise<T>, budgetMs = 30_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** Math.min(attempt, 5))));
    }
  }
}
