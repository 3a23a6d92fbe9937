import { TrackingTokens } from '@mailroom/contracts';
import type { UnsubscribeConfig, UnsubscribeEnv } from './unsubscribe.config';

/** Where tracked links and open pixels point, and what signs them: the unsubscribe links' origin and secret. */
export interface TrackingConfig {
  /** PUBLIC_BASE_URL as the unsubscribe links use it: no trailing slash. */
  readonly baseUrl: string;
  /** Keys derived from UNSUBSCRIBE_SECRET under the tracking salt; holds no readable secret. */
  readonly tokens: TrackingTokens;
}

/**
 * Open and click tracking for the newsletters that ask for it, or undefined when this deployment
 * has not set up its own PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET. Unsubscribe links fall back to
 * `http://localhost:3000` and the public development secret then (outside production: production
 * refuses to start without both), which is acceptable for one link but not for every link of an
 * email: those newsletters are sent untracked instead (PersonalisedEmails logs it once per newsletter).
 */
export function parseTrackingConfig(env: Pick<UnsubscribeEnv, 'PUBLIC_BASE_URL' | 'UNSUBSCRIBE_SECRET'>, unsubscribe: UnsubscribeConfig): TrackingConfig | undefined {
  if (env.PUBLIC_BASE_URL === '' || env.UNSUBSCRIBE_SECRET === '' || unsubscribe.developmentSecret) return undefined;
  return { baseUrl: unsubscribe.baseUrl, tokens: new TrackingTokens(env.UNSUBSCRIBE_SECRET) };
}
