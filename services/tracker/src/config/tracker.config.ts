import { CommonEnv, ConfigValidationError, commonConfig, loadEnv, toBool, toInt, type CommonConfig } from '@mailroom/config';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import type { RetryPolicy } from '@mailroom/jetstream';
import { parseAllowedHosts } from '@mailroom/net-guard';

/**
 * Counting an event into its newsletter failed (NATS away, a CAS conflict storm): again after
 * 0.5 s, doubling up to 30 s, 20 times in all (at most about 7 minutes) before it is dead-lettered.
 * Counting is idempotent, so a redelivery never counts twice.
 */
export const TRACKING_RETRY: RetryPolicy = { maxDeliver: 20, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * A webhook receiver that fails is tried again after 2 s, doubling up to 5 minutes; the notifier
 * itself gives up after WEBHOOK_RETRY_FOR_MS, so the 1,000 deliveries only have to outlast that.
 */
export const WEBHOOK_RETRY: RetryPolicy = { maxDeliver: 1_000, baseDelayMs: 2_000, maxDelayMs: 300_000 };

/** Accounting for a dead letter (or a max-deliveries advisory) failed: again after 1 s, doubling up to a minute, 20 times. */
export const DEAD_LETTER_RETRY: RetryPolicy = { maxDeliver: 20, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** Environment of the tracker. */
export class TrackerEnv extends CommonEnv {
  override HTTP_PORT = 3003;

  /** Events folded at once (events of one newsletter are still applied one at a time). */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(512)
  TRACKER_CONCURRENCY = 32;

  /** `newsletter.progressed` (and its webhook) every this many percent; 0 turns it off. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(50)
  PROGRESS_STEP_PERCENT = 10;

  /** Signs webhook bodies (HMAC-SHA256; 16+ characters). Without it no webhook is sent (each is recorded as skipped), never one unsigned. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  WEBHOOK_SECRET?: string = undefined;

  /** How long one webhook POST may take in all (connect, send, the whole answer): a total deadline, not an idle timeout, so a receiver trickling its answer cannot hold a slot. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Webhook POSTs in flight at once to one destination (scheme, host and port); more events for it wait (retried shortly) without taking the slots other destinations need. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  WEBHOOK_MAX_PER_DESTINATION = 2;

  /** How long a failing webhook is retried (with backoff) before it is abandoned. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  WEBHOOK_RETRY_FOR_MS = 3_600_000;

  /**
   * Allow webhooks to loopback, private, link-local and unique-local addresses (closed deployments,
   * tests): the gateway then accepts such a `webhookUrl`, the tracker delivers to it. Set it alike on both.
   */
  @toBool()
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE = false;

  /**
   * Comma-separated webhook hosts (names or IPs) allowed whatever they resolve to: checked by the
   * gateway at submit and again by the tracker at delivery (on the address it connects to). Set it alike on both.
   */
  @IsOptional()
  @IsString()
  WEBHOOK_ALLOWED_HOSTS?: string = undefined;

  /** A sending newsletter whose record has not changed for this long, with batches outstanding, is stalled. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1_000)
  WATCHDOG_STALL_MS = 300_000;

  /** How often the leader's watchdog looks for stalled newsletters (at most `WATCHDOG_STALL_MS`). */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(100)
  WATCHDOG_INTERVAL_MS = 30_000;

  /**
   * A cancelled newsletter settles as `cancelled` once every batch is accounted for; if a batch
   * never reports (its sender died and the message was lost), the leader settles it anyway this
   * long after the cancel, with the counts as they stand (a batch reporting later still corrects
   * the record, not the announcement).
   */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1_000)
  CANCEL_DEADLINE_MS = 600_000;

  /**
   * A newsletter's record and stored content are kept this long after it settled (completed,
   * failed or cancelled), then the leading tracker removes them (GET answers 404). A scheduled or
   * running newsletter is never removed, however far ahead its sendAt. Default 30 days.
   */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1_000)
  NEWSLETTER_RETENTION_MS = 30 * 86_400_000;

  /** How often the leading tracker looks for settled newsletters past NEWSLETTER_RETENTION_MS. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(100)
  RETENTION_SWEEP_MS = 3_600_000;

  /**
   * A newsletter paused longer than this, all its pauses added up, is cancelled by the leading
   * tracker: its parked batches are dropped and counted as cancelled, and it settles as
   * `cancelled` with `cancelReason` `pause_limit` (in `newsletter.completed` and its webhook too).
   * At most 25 days: the delivery ledger, which keeps a resumed batch from sending anyone twice,
   * keeps its entries 30 days. Default 21 days.
   */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1_000)
  @Max(25 * 86_400_000)
  PAUSE_LIMIT_MS = 21 * 86_400_000;

  /** How often the leading tracker renews its lease. The lease lasts twice this, so a crashed leader is replaced within about 2.5 times this. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(100)
  @Max(60_000)
  TRACKER_LEADER_RENEW_MS = 5_000;
}

export interface TrackerConfig extends CommonConfig {
  readonly concurrency: number;
  readonly progressStepPercent: number;
  readonly webhooks: {
    readonly secret: string | undefined;
    readonly timeoutMs: number;
    readonly maxPerDestination: number;
    readonly retryForMs: number;
    readonly allowPrivate: boolean;
    readonly allowedHosts: ReadonlySet<string>;
  };
  readonly watchdog: { readonly stallMs: number; readonly intervalMs: number };
  /** How long a `cancelling` newsletter waits for its in-flight batches before it settles anyway. */
  readonly cancelDeadlineMs: number;
  /** Settled newsletters are removed this long after they settled; looked for every `sweepMs`. */
  readonly retention: { readonly afterSettledMs: number; readonly sweepMs: number };
  /** A newsletter paused longer than this in all is cancelled (`cancelReason` `pause_limit`). */
  readonly pauseLimitMs: number;
  readonly leaderRenewMs: number;
  /** How each consumer of this process retries a failed message (every service's config has this shape). */
  readonly retry: {
    readonly tracker: RetryPolicy;
    readonly webhooks: RetryPolicy;
    readonly deadLetters: RetryPolicy;
    readonly advisories: RetryPolicy;
  };
}

export const TRACKER_CONFIG = Symbol('TrackerConfig');

export function loadTrackerConfig(env: Record<string, string | undefined> = process.env): TrackerConfig {
  const e = loadEnv(TrackerEnv, env);
  if (e.WATCHDOG_INTERVAL_MS > e.WATCHDOG_STALL_MS) {
    throw new ConfigValidationError([
      `WATCHDOG_INTERVAL_MS: must not exceed WATCHDOG_STALL_MS (${e.WATCHDOG_STALL_MS}): the watchdog would look less often than a stall lasts`,
    ]);
  }
  return {
    ...commonConfig(e),
    concurrency: e.TRACKER_CONCURRENCY,
    progressStepPercent: e.PROGRESS_STEP_PERCENT,
    webhooks: {
      secret: e.WEBHOOK_SECRET,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxPerDestination: e.WEBHOOK_MAX_PER_DESTINATION,
      retryForMs: e.WEBHOOK_RETRY_FOR_MS,
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      allowedHosts: parseAllowedHosts(e.WEBHOOK_ALLOWED_HOSTS),
    },
    watchdog: { stallMs: e.WATCHDOG_STALL_MS, intervalMs: e.WATCHDOG_INTERVAL_MS },
    cancelDeadlineMs: e.CANCEL_DEADLINE_MS,
    retention: { afterSettledMs: e.NEWSLETTER_RETENTION_MS, sweepMs: e.RETENTION_SWEEP_MS },
    pauseLimitMs: e.PAUSE_LIMIT_MS,
    leaderRenewMs: e.TRACKER_LEADER_RENEW_MS,
    retry: { tracker: TRACKING_RETRY, webhooks: WEBHOOK_RETRY, deadLetters: DEAD_LETTER_RETRY, advisories: DEAD_LETTER_RETRY },
  };
}
