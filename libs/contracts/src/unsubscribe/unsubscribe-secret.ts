import { TrackingTokens } from '../engagement/tracking-tokens';
import { ViewTokens } from '../engagement/view-tokens';
import { UNSUBSCRIBE_SECRET_MIN_LENGTH, UnsubscribeTokens } from './unsubscribe-tokens';

/**
 * The secret used when UNSUBSCRIBE_SECRET is not set outside production, so that `npm start` and
 * the tests work with no setup and the gateway accepts the links the sender makes. It is public
 * (it is in this file): anyone can forge links signed with it, so production refuses to use it.
 */
export const DEVELOPMENT_UNSUBSCRIBE_SECRET = 'mailroom-development-unsubscribe-secret-public-never-use-in-production';

type UnsubscribeSecret =
  /** `tracking`, `view`: the keys of tracked links and open pixels, and of "view in browser" links, derived from the same secret. */
  | { readonly ok: true; readonly tokens: UnsubscribeTokens; readonly tracking: TrackingTokens; readonly view: ViewTokens; readonly development: boolean }
  | { readonly ok: false; readonly problem: string };

/**
 * UNSUBSCRIBE_SECRET as the gateway and the sender both read it. Unset: the development secret,
 * unless `requiredWhen` says why it may not be used (in production, which the images mark with
 * NODE_ENV=production; links that reach other people): then a missing secret is a boot error
 * rather than links anyone can forge. Problems never contain the value.
 */
export function resolveUnsubscribeSecret(value: string, options: { readonly requiredWhen: string | null }): UnsubscribeSecret {
  const { requiredWhen } = options;
  if (value === '') {
    if (requiredWhen !== null) {
      return { ok: false, problem: `is required ${requiredWhen}: a random string of ${UNSUBSCRIBE_SECRET_MIN_LENGTH}+ characters, the same for gateway and sender` };
    }
    return { ok: true, ...tokensOf(DEVELOPMENT_UNSUBSCRIBE_SECRET), development: true };
  }
  if (value === DEVELOPMENT_UNSUBSCRIBE_SECRET && requiredWhen !== null) {
    return { ok: false, problem: `is the public development secret, which is refused ${requiredWhen}` };
  }
  if (value.length < UNSUBSCRIBE_SECRET_MIN_LENGTH) {
    return { ok: false, problem: `must be at least ${UNSUBSCRIBE_SECRET_MIN_LENGTH} characters` };
  }
  return { ok: true, ...tokensOf(value), development: value === DEVELOPMENT_UNSUBSCRIBE_SECRET };
}

function tokensOf(secret: string): { tokens: UnsubscribeTokens; tracking: TrackingTokens; view: ViewTokens } {
  return { tokens: new UnsubscribeTokens(secret), tracking: new TrackingTokens(secret), view: new ViewTokens(secret) };
}

/** Why the development secret may not be used in production (NODE_ENV=production); null otherwise. */
export const productionRequirement = (nodeEnv: string | undefined): string | null =>
  nodeEnv === 'production' ? 'in production (NODE_ENV=production)' : null;

/** What both services log at boot when links are signed with the development secret (the secret is not in it). */
export const DEVELOPMENT_SECRET_WARNING =
  'UNSUBSCRIBE_SECRET is not set: unsubscribe links are signed with the public development secret, so anyone can forge them. Set it in any deployment reachable by others (production refuses to start without it).';
