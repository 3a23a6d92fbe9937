import { productionRequirement, resolveBounceSecret, type FeedbackTokens } from '@mailroom/contracts';

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

// A host name of two labels or more, in ASCII (an IDN in its xn-- form): it goes into every MAIL FROM.
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
// RFC 2606 / 6761 names, which never receive mail from the Internet: the development secret is fine there.
const RESERVED = /\.(test|example|invalid|localhost)$/i;

/** Resolves BOUNCE_DOMAIN and BOUNCE_SECRET; every problem is pushed to `problems` (never with the secret). */
export function parseFeedbackConfig(env: FeedbackEnv, problems: string[]): FeedbackConfig | undefined {
  const before = problems.length;
  const domain = env.BOUNCE_DOMAIN.trim().toLowerCase().replace(/\.$/, '');
  const valid = domain === '' || DOMAIN.test(domain);
  if (!valid) problems.push('BOUNCE_DOMAIN: must be a domain name (ASCII, xn-- for an IDN), e.g. bounces.acme.example');
  // Bounces that can suppress real recipients are never accepted under the public secret.
  const publicDomain = domain !== '' && valid && !RESERVED.test(domain);
  const requiredWhen = productionRequirement(env.nodeEnv) ?? (publicDomain ? 'when BOUNCE_DOMAIN is a public domain' : null);
  const secret = resolveBounceSecret(env.BOUNCE_SECRET, { requiredWhen });
  if (!secret.ok) problems.push(`BOUNCE_SECRET: ${secret.problem}`);
  if (problems.length > before || !secret.ok) return undefined;
  return { ...(domain !== '' ? { bounceDomain: domain } : {}), tokens: secret.tokens, developmentSecret: secret.development };
}
