import { bounceSecretRequirement, parseBounceDomain, resolveBounceSecret, type FeedbackTokens } from '@mailroom/contracts';

/** How the sender marks each email for the feedback service: its bounce address and Message-ID. */
export interface FeedbackConfig {
  /**
   * BOUNCE_DOMAIN: the envelope sender of every email is a signed address at this domain (VERP),
   * whose MX is the feedback service. Absent: the envelope sender is the From address, as before.
   */
  readonly bounceDomain?: string;
  /** Signs the bounce addresses and Message-IDs; holds no readable secret. */
  readonly tokens: FeedbackTokens;
  /** Signed with the public development secret (BOUNCE_SECRET unset outside production). */
  readonly developmentSecret: boolean;
}

export interface FeedbackEnv {
  readonly BOUNCE_DOMAIN: string;
  readonly BOUNCE_SECRET: string;
  readonly nodeEnv: string | undefined;
}

export const DEVELOPMENT_BOUNCE_SECRET_WARNING =
  'BOUNCE_SECRET is not set: bounce addresses and Message-IDs are signed with the public development secret, so anyone can forge bounces. Set it in any deployment reachable by others (production refuses to start without it).';

/**
 * Resolves BOUNCE_DOMAIN and BOUNCE_SECRET by the rules the feedback service applies too
 * (`parseBounceDomain`, `bounceSecretRequirement`); every problem is pushed to `problems` (never with the secret).
 */
export function parseFeedbackConfig(env: FeedbackEnv, problems: string[]): FeedbackConfig | undefined {
  const before = problems.length;
  const parsed = parseBounceDomain(env.BOUNCE_DOMAIN);
  if (!parsed.ok) problems.push(`BOUNCE_DOMAIN: ${parsed.problem}`);
  const domain = parsed.ok ? parsed.domain : '';
  // Bounces that can suppress real recipients are never accepted under the public secret.
  const secret = resolveBounceSecret(env.BOUNCE_SECRET, { requiredWhen: bounceSecretRequirement(env.nodeEnv, domain) });
  if (!secret.ok) problems.push(`BOUNCE_SECRET: ${secret.problem}`);
  if (problems.length > before || !secret.ok) return undefined;
  return { ...(domain !== '' ? { bounceDomain: domain } : {}), tokens: secret.tokens, developmentSecret: secret.development };
}
