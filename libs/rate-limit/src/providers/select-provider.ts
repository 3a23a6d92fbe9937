import type { CircuitBreaker } from '../breaker/circuit-breaker';

export interface SelectableProvider {
  readonly priority: number;
  readonly breaker: CircuitBreaker;
}

/**
 * The preferred provider that may take a request now: lowest `priority` first (ties in list order),
 * skipping open breakers. A half-open preferred provider is chosen over a healthy fallback: that
 * request is its probe, and the only way it can close again. Its outcome must be recorded.
 * Returns undefined when every breaker is open (see `msUntilAnyProvider`).
 */
export function selectProvider<T extends SelectableProvider>(providers: readonly T[]): T | undefined {
  const byPreference = providers.map((provider, index) => ({ provider, index }));
  byPreference.sort((a, b) => a.provider.priority - b.provider.priority || a.index - b.index);
  // tryAcquire only on the way down the list: a half-open provider's probe slot is taken only if chosen.
  return byPreference.find(({ provider }) => provider.breaker.tryAcquire())?.provider;
}

/** How long until some provider can take a request (0 if one can now): a delay for the retry. */
export function msUntilAnyProvider(providers: readonly SelectableProvider[]): number {
  if (providers.length === 0) return Number.POSITIVE_INFINITY;
  return Math.min(...providers.map((provider) => provider.breaker.msUntilProbe()));
}
