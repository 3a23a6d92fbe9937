import { CommonEnv, commonConfig, loadEnv, toInt, type CommonConfig } from '@mailroom/config';
import type { RetryPolicy } from '@mailroom/jetstream';
import { IsInt, Max, Min } from 'class-validator';

/**
 * A split that failed (NATS away for a moment, a list part not readable yet) is tried again after
 * 2 s, doubling up to a minute, 10 times in all (at most about 5 minutes); then the request is
 * dead-lettered and the tracker fails the newsletter. A re-run is safe: every batch's msgID is
 * fixed, so nothing is published twice.
 */
export const SPLIT_RETRY: RetryPolicy = { maxDeliver: 10, baseDelayMs: 2_000, maxDelayMs: 60_000 };

/** Environment of the splitter. */
export class SplitterEnv extends CommonEnv {
  override HTTP_PORT = 3001;

  /** Newsletters split at once by this process. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(64)
  SPLITTER_CONCURRENCY = 2;

  /** Batch publishes in flight at once (pipelined, each confirmed by the stream). */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(10_000)
  PUBLISH_WINDOW = 256;

  /**
   * Batches of one newsletter in the batch queue at once (waiting or being sent), at least: the
   * rest wait in the parked stream and are let in as these complete, so newsletters sent at the
   * same time take turns. Once one of the newsletter's batches has completed, the window grows to
   * the senders' announced batch slots less 2 (kept free for a newsletter that comes next), shared
   * by the newsletters in flight. 0: no window (each newsletter's batches are queued at once, in
   * submit order).
   */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(10_000)
  BATCH_WINDOW = 4;
}

export interface SplitterConfig extends CommonConfig {
  readonly concurrency: number;
  readonly publishWindow: number;
  /** BATCH_WINDOW: 0 turns the dispatcher off. */
  readonly batchWindow: number;
  /** How each consumer of this process retries a failed message (every service's config has this shape). */
  readonly retry: { readonly splitter: RetryPolicy };
}

export const SPLITTER_CONFIG = Symbol('SplitterConfig');

export function loadSplitterConfig(env: Record<string, string | undefined> = process.env): SplitterConfig {
  const e = loadEnv(SplitterEnv, env);
  return {
    ...commonConfig(e),
    concurrency: e.SPLITTER_CONCURRENCY,
    publishWindow: e.PUBLISH_WINDOW,
    batchWindow: e.BATCH_WINDOW,
    retry: { splitter: SPLIT_RETRY },
  };
}
