import { CommonEnv, commonConfig, loadEnv, toInt, type CommonConfig } from '@mailroom/config';
import { IsInt, Max, Min } from 'class-validator';

/** Environment of the tracker. */
export class TrackerEnv extends CommonEnv {
  override HTTP_PORT = 3003;

  /** Events folded at once (events of one newsletter are still applied one at a time). */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(512)
  TRACKER_CONCURRENCY = 32;
}

export interface TrackerConfig extends CommonConfig {
  readonly concurrency: number;
}

export const TRACKER_CONFIG = Symbol('TrackerConfig');

export function loadTrackerConfig(env: Record<string, string | undefined> = process.env): TrackerConfig {
  const e = loadEnv(TrackerEnv, env);
  return {
    ...commonConfig(e),
    concurrency: e.TRACKER_CONCURRENCY,
  };
}
