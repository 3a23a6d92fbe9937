import type { SmtpPoolOptions } from '@mailroom/mailer';

/** One SMTP provider as the sender uses it, resolved from SMTP_PROVIDERS or SMTP_URL. */
export interface ProviderConfig {
  /** Label in metrics, logs and the ledger, and the key of its shared bucket (`provider.<name>`). */
  readonly name: string;
  /** Holds credentials: never log it, log `maskedUrl`. */
  readonly url: string;
  readonly maskedUrl: string;
  /** Emails per second over all sender replicas; undefined means no limit. */
  readonly ratePerSecond?: number;
  /** Burst of the shared bucket (set when `ratePerSecond` is). */
  readonly burst?: number;
  /** Lower is preferred; ties go in list order. */
  readonly priority: number;
  readonly pool: SmtpPoolOptions;
  readonly breaker: { readonly failureThreshold: number; readonly cooldownMs: number };
}

/** Defaults a provider entry falls back to: the SMTP_* pool and breaker variables. */
export interface ProviderDefaults {
  readonly pool: SmtpPoolOptions;
  readonly breaker: ProviderConfig['breaker'];
}

/** A name that is a valid KV key token and a tidy metric label. */
export const PROVIDER_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** The burst when none is configured: a fifth of a second of sending, at least 3 (the lease plan needs room). */
export function defaultBurst(ratePerSecond: number): number {
  return Math.max(3, Math.ceil(ratePerSecond / 5));
}
