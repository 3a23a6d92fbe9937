import { ConfigValidationError, commonConfig, loadEnv, type CommonConfig } from '@mailroom/config';
import { productionRequirement, resolveUnsubscribeSecret, type NewsletterTracking, type TrackingTokens, type UnsubscribeTokens, type ViewTokens } from '@mailroom/contracts';
import { parseAllowedHosts } from '@mailroom/net-guard';
import { parseApiKeys, type ApiKey } from '../auth/api-keys';
import { FromAllowList } from '../newsletters/from-allow-list';
import { parseFromAddress } from '../newsletters/from-address';
import { NetworkList } from '../tracking/network-list';
import { UserAgentList } from '../tracking/user-agent-list';
import { GatewayEnv } from './gateway.env';

export interface GatewayConfig extends CommonConfig {
  readonly grpcPort: number;
  readonly apiKeys: readonly ApiKey[];
  readonly rateLimit: { readonly perMinute: number; readonly burst: number };
  /** TEST_SENDS_PER_MINUTE: per tenant; 0 = no limit. */
  readonly testSendsPerMinute: number;
  readonly defaultFrom: string;
  readonly allowedFrom: FromAllowList;
  readonly webhooks: { readonly allowPrivate: boolean; readonly allowedHosts: ReadonlySet<string> };
  readonly maxBodyBytes: number;
  readonly maxInlineRecipients: number;
  /** Largest subscriber import body (MAX_IMPORT_BYTES). */
  readonly maxImportBytes: number;
  readonly watch: { readonly pollIntervalMs: number; readonly maxStreams: number; readonly maxPerKey: number; readonly maxAgeMs: number };
  /** The HTTP edge: timeouts, body limits beyond MAX_BODY_BYTES, the failed-authentication throttle, import throughput. */
  readonly edge: {
    readonly headersTimeoutMs: number;
    readonly bodyTimeoutMs: number;
    readonly idleTimeoutMs: number;
    readonly maxBodiesInFlight: number;
    readonly maxInflateRatio: number;
    readonly jsonMaxDepth: number;
    readonly authFailuresPerMinute: number;
    readonly importMinBytesPerSecond: number;
    readonly importThroughputWindowMs: number;
  };
  /** Checks unsubscribe links; `developmentSecret`: UNSUBSCRIBE_SECRET unset outside production. */
  readonly unsubscribe: { readonly tokens: UnsubscribeTokens; readonly developmentSecret: boolean };
  /** Tracked links and open pixels: their keys, what a request tracks when it does not say, the networks and user agents of machine opens. */
  readonly tracking: {
    readonly tokens: TrackingTokens;
    readonly defaults: NewsletterTracking;
    readonly machineOpenNetworks: NetworkList;
    readonly machineOpenUserAgents: UserAgentList;
  };
  /** "View in browser" pages: their keys, and PUBLIC_BASE_URL without a trailing slash (absent: links on the page are relative). */
  readonly view: { readonly tokens: ViewTokens; readonly publicBaseUrl?: string };
}

export const GATEWAY_CONFIG = Symbol('GatewayConfig');

/** Every problem at once, and never a value: API_KEYS holds secrets. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const e = loadEnv(GatewayEnv, env);
  const problems: string[] = [];
  const attempt = <T>(variable: string, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      problems.push(`${variable}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const apiKeys = attempt('API_KEYS', () => parseApiKeys(e.API_KEYS, e.API_KEYS_REVOKED)) ?? [];
  const from = parseFromAddress(e.DEFAULT_FROM);
  if (!from.ok) problems.push(`DEFAULT_FROM: ${from.reason}`);
  // Unset, only DEFAULT_FROM's own address may be used: a deployment opts in to anything more.
  const allowedFrom = attempt('ALLOWED_FROM', () => FromAllowList.parse(e.ALLOWED_FROM || (from.ok ? from.address : '')));
  if (from.ok && allowedFrom && !allowedFrom.allows(from.address)) {
    problems.push(`DEFAULT_FROM: ${from.address} is not in ALLOWED_FROM (${allowedFrom.describe()})`);
  }
  const unsubscribe = resolveUnsubscribeSecret(e.UNSUBSCRIBE_SECRET, { requiredWhen: productionRequirement(env['NODE_ENV']) });
  if (!unsubscribe.ok) problems.push(`UNSUBSCRIBE_SECRET: ${unsubscribe.problem}`);
  const machineOpenNetworks = attempt('MACHINE_OPEN_CIDRS', () => NetworkList.parse(e.MACHINE_OPEN_CIDRS));
  const publicBaseUrl = attempt('PUBLIC_BASE_URL', () => parsePublicBaseUrl(e.PUBLIC_BASE_URL));
  if (problems.length > 0 || !allowedFrom || !unsubscribe.ok || !machineOpenNetworks) throw new ConfigValidationError(problems);
  return {
    ...commonConfig(e),
    grpcPort: e.GRPC_PORT,
    apiKeys,
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, burst: e.RATE_LIMIT_BURST },
    testSendsPerMinute: e.TEST_SENDS_PER_MINUTE,
    defaultFrom: e.DEFAULT_FROM,
    allowedFrom,
    webhooks: {
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      allowedHosts: parseAllowedHosts(e.WEBHOOK_ALLOWED_HOSTS),
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxInlineRecipients: e.MAX_INLINE_RECIPIENTS,
    maxImportBytes: e.MAX_IMPORT_BYTES,
    watch: { pollIntervalMs: e.WATCH_POLL_INTERVAL_MS, maxStreams: e.GRPC_MAX_WATCHES, maxPerKey: e.WATCH_MAX_PER_KEY, maxAgeMs: e.WATCH_MAX_AGE_MS },
    edge: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.HTTP_BODY_TIMEOUT_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      maxBodiesInFlight: e.MAX_BODIES_IN_FLIGHT,
      maxInflateRatio: e.MAX_INFLATE_RATIO,
      jsonMaxDepth: e.JSON_MAX_DEPTH,
      authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
      importMinBytesPerSecond: e.IMPORT_MIN_BYTES_PER_SECOND,
      importThroughputWindowMs: e.IMPORT_THROUGHPUT_WINDOW_MS,
    },
    unsubscribe: { tokens: unsubscribe.tokens, developmentSecret: unsubscribe.development },
    tracking: {
      tokens: unsubscribe.tracking,
      defaults: trackingDefault(e.TRACKING_DEFAULT),
      machineOpenNetworks,
      machineOpenUserAgents: machineOpenUserAgents(env['MACHINE_OPEN_USER_AGENTS'], e.MACHINE_OPEN_USER_AGENTS),
    },
    view: { tokens: unsubscribe.view, ...(publicBaseUrl ? { publicBaseUrl } : {}) },
  };
}

/**
 * MACHINE_OPEN_USER_AGENTS: set but empty is the empty list (loadEnv reads an empty value as
 * unset, which would give the default list instead).
 */
function machineOpenUserAgents(raw: string | undefined, loaded: string): UserAgentList {
  return UserAgentList.parse(raw !== undefined && raw.trim() === '' ? '' : loaded);
}

/** PUBLIC_BASE_URL as the sender writes links with it (origin and path, no trailing slash); undefined when empty. Throws why it cannot be one. */
function parsePublicBaseUrl(value: string): string | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('must be an absolute URL, e.g. https://mail.acme.example (the same as the sender\'s)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('must be an https:// URL (the same as the sender\'s)');
  if (url.username !== '' || url.password !== '') throw new Error('must not contain credentials');
  if (url.search !== '' || url.hash !== '') throw new Error('must not have a query or a fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** TRACKING_DEFAULT (already checked against its pattern) as the flags a request would give. */
function trackingDefault(value: string): NewsletterTracking {
  const parts = new Set(value.split(','));
  return { opens: parts.has('opens'), clicks: parts.has('clicks') };
}
