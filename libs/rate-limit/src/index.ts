// The public API of @mailroom/rate-limit. Pure logic plus one storage adapter: no timer runs and no
// NATS client loads unless the caller passes them in. See the README for how the sender wires it.
export { systemClock, realSleep, type Clock, type Sleep } from './clock';
export { RateLimitOptionsError, CasConflictError, InvalidBucketStateError } from './rate-limit.errors';
export { UnlimitedRateLimiter, type RateLimiter, type TakeOptions } from './rate-limiter';

// 1. Token bucket (one process)
export { TokenBucket, type TokenBucketOptions } from './bucket/token-bucket';

// 2. Shared token bucket (all replicas), its lease protocol and storage port
export { SharedTokenBucket, type SharedTokenBucketOptions, type SharedBucketStats } from './shared/shared-token-bucket';
export { planLeases, type LeasePlanOptions } from './shared/lease-plan';
export type { LeaseStore, SharedBucketState, VersionedBucketState } from './shared/lease-store';
export { KvLeaseStore, type LeaseKv } from './shared/kv-lease-store';
export { InMemoryLeaseStore } from './shared/in-memory-lease-store';

// 3. Circuit breaker
export { CircuitBreaker, type CircuitBreakerOptions } from './breaker/circuit-breaker';

// 4. AIMD
export { AimdController, type AimdOptions } from './aimd/aimd-controller';

// 5. Providers: signals, per-provider limits, selection
export { providerSignal, type ProviderSignal, type SmtpOutcomeLike } from './providers/provider-signal';
export { ProviderLimiter, type ProviderLimiterOptions } from './providers/provider-limiter';
export { selectProvider, msUntilAnyProvider, type SelectableProvider } from './providers/select-provider';
