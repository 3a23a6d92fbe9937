import { ViewTokens } from '@mailroom/contracts';
import type { UnsubscribeConfig, UnsubscribeEnv } from './unsubscribe.config';

/** Where `{{ view_url }}` points and what signs it: the unsubscribe links' origin and secret. */
export interface ViewConfig {
  /** PUBLIC_BASE_URL as the unsubscribe links use it: no trailing slash. */
  readonly baseUrl: string;
  /** Keys derived from UNSUBSCRIBE_SECRET under the view salt; holds no readable secret. */
  readonly tokens: ViewTokens;
}

/**
 * "View in browser" links (`{{ view_url }}`), or undefined when this deployment has not set up its
 * own PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET (the same rule as tracking: a link to
 * `http://localhost:3000` signed with the public development secret is no link to send out).
 * `{{ view_url }}` then renders empty (PersonalisedEmails logs it once per newsletter).
 */
export function parseViewConfig(env: Pick<UnsubscribeEnv, 'PUBLIC_BASE_URL' | 'UNSUBSCRIBE_SECRET'>, unsubscribe: UnsubscribeConfig): ViewConfig | undefined {
  if (env.PUBLIC_BASE_URL === '' || env.UNSUBSCRIBE_SECRET === '' || unsubscribe.developmentSecret) return undefined;
  return { baseUrl: unsubscribe.baseUrl, tokens: new ViewTokens(env.UNSUBSCRIBE_SECRET) };
}
