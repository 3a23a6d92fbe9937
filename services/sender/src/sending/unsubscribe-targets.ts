import { unsubscribeUrl, type UnsubscribeClaim } from '@mailroom/contracts';
import type { UnsubscribeConfig } from '../config/unsubscribe.config';
import type { UnsubscribeTargets } from './compliance-headers';

/**
 * One recipient's unsubscribe link (and mailto, if configured). The mailto's subject carries the
 * same signed token, so whoever reads that mailbox can verify the request instead of trusting a
 * From header.
 */
export function unsubscribeTargets(config: UnsubscribeConfig, claim: UnsubscribeClaim): UnsubscribeTargets {
  const token = config.tokens.sign(claim);
  return {
    url: unsubscribeUrl(config.baseUrl, token),
    ...(config.mailto !== undefined ? { mailto: `mailto:${config.mailto}?subject=unsubscribe%20${token}` } : {}),
  };
}
