import { isIP } from 'node:net';
import { productionRequirement, resolveUnsubscribeSecret, type UnsubscribeTokens } from '@mailroom/contracts';

/** How the sender makes every email's unsubscribe link and List-Unsubscribe header. */
export interface UnsubscribeConfig {
  /** The gateway's public origin, with any path prefix, without a trailing slash: `https://mail.acme.example`. */
  readonly baseUrl: string;
  /** The mailbox of the `mailto:` in List-Unsubscribe; absent: only the HTTPS link. */
  readonly mailto?: string;
  /** Signs the links; holds no readable secret. */
  readonly tokens: UnsubscribeTokens;
  /** Signed with the public development secret (UNSUBSCRIBE_SECRET unset outside production). */
  readonly developmentSecret: boolean;
}

export interface UnsubscribeEnv {
  readonly PUBLIC_BASE_URL: string;
  readonly UNSUBSCRIBE_SECRET: string;
  readonly UNSUBSCRIBE_MAILTO: string;
  /** NODE_ENV: `production` (the images set it) requires the two variables above. */
  readonly nodeEnv: string | undefined;
}

/** Where links point when PUBLIC_BASE_URL is not set outside production: the gateway of `npm start`. */
export const DEVELOPMENT_PUBLIC_BASE_URL = 'http://localhost:3000';

// A plain mailbox: it is written into a header and a mailto: URI unencoded.
const MAILBOX = /^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** Resolves the three variables; every problem is pushed to `problems` (never with the secret). */
export function parseUnsubscribeConfig(env: UnsubscribeEnv, problems: string[]): UnsubscribeConfig | undefined {
  const before = problems.length;
  let baseUrl: URL | undefined;
  if (env.PUBLIC_BASE_URL === '') {
    if (productionRequirement(env.nodeEnv) !== null) problems.push("PUBLIC_BASE_URL: is required in production: the gateway's public https origin, e.g. https://mail.acme.example");
    else baseUrl = new URL(DEVELOPMENT_PUBLIC_BASE_URL);
  } else {
    const checked = checkPublicBaseUrl(env.PUBLIC_BASE_URL);
    if (typeof checked === 'string') problems.push(`PUBLIC_BASE_URL: ${checked}`);
    else baseUrl = checked;
  }
  // Links that reach other people are never signed with the public development secret.
  const publicLinks = baseUrl !== undefined && !isLoopback(baseUrl.hostname);
  const requiredWhen = productionRequirement(env.nodeEnv) ?? (publicLinks ? 'when PUBLIC_BASE_URL is not a localhost URL' : null);
  const secret = resolveUnsubscribeSecret(env.UNSUBSCRIBE_SECRET, { requiredWhen });
  if (!secret.ok) problems.push(`UNSUBSCRIBE_SECRET: ${secret.problem}`);
  const mailto = env.UNSUBSCRIBE_MAILTO.replace(/^mailto:/i, '');
  if (mailto !== '' && !MAILBOX.test(mailto)) problems.push('UNSUBSCRIBE_MAILTO: must be a plain address (letters, digits, . _ + -), e.g. unsubscribe@acme.example');
  if (problems.length > before || !baseUrl || !secret.ok) return undefined;
  return {
    baseUrl: `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}`,
    ...(mailto !== '' ? { mailto } : {}),
    tokens: secret.tokens,
    developmentSecret: secret.development,
  };
}

/** The URL, or why it cannot be the base of unsubscribe links. */
export function checkPublicBaseUrl(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL, e.g. https://mail.acme.example';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return 'must be https:// (http:// only for localhost): mail clients make one-click unsubscribe requests over HTTPS only';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.search !== '' || url.hash !== '') return 'must not have a query or a fragment';
  return url;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
