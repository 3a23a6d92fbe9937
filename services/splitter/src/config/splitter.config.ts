import { CommonEnv, commonConfig, loadEnv, toInt, type CommonConfig } from '@mailroom/config';
import { IsInt, Max, Min } from 'class-validator';

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
}

export interface SplitterConfig extends CommonConfig {
  readonly concurrency: number;
  readonly publishWindow: number;
}

export const SPLITTER_CONFIG = Symbol('SplitterConfig');

export function loadSplitterConfig(env: Record<string, string | undefined> = process.env): SplitterConfig {
  const e = loadEnv(SplitterEnv, env);
  return {
    ...commonConfig(e),
    concurrency: e.SPLITTER_CONCURRENCY,
    publishWindow: e.PUBLISH_WINDOW,
  };
}
