import { BOUNCE_SECRET_MIN_LENGTH, FeedbackTokens } from './feedback-tokens';

/**
 * The secret used when BOUNCE_SECRET is not set outside production, so that `npm start` and the
 * tests work with no setup and the feedback service accepts the addresses the sender makes. It is
 * public (it is in this file): production refuses it, as it refuses the development unsubscribe secret.
 */
export const DEVELOPMENT_BOUNCE_SECRET = 'mailroom-development-bounce-secret-public-never-use-in-production';

type BounceSecret =
  | { readonly ok: true; readonly tokens: FeedbackTokens; readonly development: boolean }
  | { readonly ok: false; readonly problem: string };

/**
 * BOUNCE_SECRET as the sender and the feedback service both read it. Unset: the development secret,
 * unless `requiredWhen` says why it may not be used (production). Problems never contain the value.
 */
export function resolveBounceSecret(value: string, options: { readonly requiredWhen: string | null }): BounceSecret {
  const { requiredWhen } = options;
  if (value === '') {
    if (requiredWhen !== null) {
      return { ok: false, problem: `is required ${requiredWhen}: a random string of ${BOUNCE_SECRET_MIN_LENGTH}+ characters, the same for sender and feedback` };
    }
    return { ok: true, tokens: new FeedbackTokens(DEVELOPMENT_BOUNCE_SECRET), development: true };
  }
  if (value === DEVELOPMENT_BOUNCE_SECRET && requiredWhen !== null) {
    return { ok: false, problem: `is the public development secret, which is refused ${requiredWhen}` };
  }
  if (value.length < BOUNCE_SECRET_MIN_LENGTH) return { ok: false, problem: `must be at least ${BOUNCE_SECRET_MIN_LENGTH} characters` };
  return { ok: true, tokens: new FeedbackTokens(value), development: value === DEVELOPMENT_BOUNCE_SECRET };
}
