import { ConfigValidationError, commonConfig, loadEnv, type CommonConfig } from '@mailroom/config';
import { DEVELOPMENT_SECRET_WARNING } from '@mailroom/contracts';
import type { RetryPolicy } from '@mailroom/jetstream';
import { maskSmtpUrl, type DkimSigningKey } from '@mailroom/mailer';
import { batchConcurrency } from './batch-concurrency';
import { batchMaxDeliver } from './batch-max-deliver';
import { parseDkimKeys } from './dkim-keys.parser';
import { DEVELOPMENT_BOUNCE_SECRET_WARNING, parseFeedbackConfig, type FeedbackConfig } from './feedback.config';
import { defaultBurst, type ProviderConfig, type ProviderDefaults } from './provider.config';
import { SenderEnv } from './sender.env';
import { checkBucket, parseSmtpProviders } from './smtp-providers.parser';
import { parseTrackingConfig, type TrackingConfig } from './tracking.config';
import { parseUnsubscribeConfig, type UnsubscribeConfig } from './unsubscribe.config';
import { parseViewConfig, type ViewConfig } from './view.config';
import type { RenderingBounds } from '../sending/render-breaker';

export { SenderEnv } from './sender.env';
export type { ProviderConfig } from './provider.config';

export interface SenderConfig extends CommonConfig {
  /** In list order; selection goes by priority, then list order. */
  readonly providers: readonly ProviderConfig[];
  /** One key per signing domain; empty: nothing is signed. */
  readonly dkim: readonly DkimSigningKey[];
  /** Batches held at once: SENDER_CONCURRENCY capped by the providers' rates (`batchConcurrency`). */
  readonly concurrency: number;
  readonly requestedConcurrency: number;
  /** Counted SMTP attempts per recipient and pass (see `countsAsAttempt`). */
  readonly maxAttempts: number;
  /** MAX_DEFERRAL_HOURS: how long a recipient may stay deferred, from its first deferral. */
  readonly maxDeferralMs: number;
  /**
   * How each consumer of this process retries a failed message (every service's config has this
   * shape). The batch consumer's: a delay doubling from RETRY_BASE_DELAY_MS up to
   * RETRY_MAX_DELAY_MS, and a `maxDeliver` computed so that it never dead-letters a batch before
   * its recipients' maximum deferral age is reached (see `batchMaxDeliver`).
   */
  readonly retry: { readonly sender: RetryPolicy };
  readonly ackWaitMs: number;
  /** BATCH_PROGRESS_INTERVAL_MS: how often a batch being sent reports its progress (0: never). */
  readonly progressIntervalMs: number;
  /** Unsubscribe links and the List-Unsubscribe header of every email. */
  readonly unsubscribe: UnsubscribeConfig;
  /** Open and click tracking (PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET both set); absent: newsletters asking for it go untracked. */
  readonly tracking?: TrackingConfig;
  /** "View in browser" links (PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET both set); absent: `{{ view_url }}` renders empty. */
  readonly view?: ViewConfig;
  /** Bounce addresses (BOUNCE_DOMAIN) and the signed tokens in them and in Message-IDs (BOUNCE_SECRET). */
  readonly feedback: FeedbackConfig;
  /** Per-recipient rendering bounds beyond the template limits: MAX_RENDERED_EMAIL_BYTES, RENDER_FAILURES_TO_STOP. */
  readonly rendering: RenderingBounds;
  /** Things to log at boot (an ignored variable, a capped concurrency). Never secrets. */
  readonly notices: readonly string[];
}

export const SENDER_CONFIG = Symbol('SenderConfig');

/** The single-provider form's name (metrics label, ledger, shared bucket key `provider.default`). */
export const SINGLE_PROVIDER_NAME = 'default';

/**
 * Validates the environment and resolves the providers and DKIM keys. Throws one
 * ConfigValidationError listing every problem: bad variables, and fields inside the JSON ones
 * (`SMTP_PROVIDERS[1].url: …`).
 */
export function loadSenderConfig(env: Record<string, string | undefined> = process.env): SenderConfig {
  const problems: string[] = [];
  let e: SenderEnv;
  try {
    e = loadEnv(SenderEnv, env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    problems.push(...error.problems);
    // Carry on with the defaults, so problems inside the JSON variables are listed too.
    e = Object.assign(new SenderEnv(), pick(env, ['SMTP_PROVIDERS', 'SMTP_URL', 'DKIM_KEYS', 'PUBLIC_BASE_URL', 'UNSUBSCRIBE_SECRET', 'UNSUBSCRIBE_MAILTO', 'BOUNCE_DOMAIN', 'BOUNCE_SECRET']));
  }
  const notices: string[] = [];
  const providers = resolveProviders(e, problems, notices);
  const dkim = e.DKIM_KEYS.trim() === '' ? { ok: true as const, value: [] } : parseDkimKeys(e.DKIM_KEYS);
  if (!dkim.ok) problems.push(...dkim.problems);
  const unsubscribe = parseUnsubscribeConfig({ ...e, nodeEnv: env['NODE_ENV'] }, problems);
  const feedback = parseFeedbackConfig({ ...e, nodeEnv: env['NODE_ENV'] }, problems);
  if (problems.length > 0 || !unsubscribe || !feedback) throw new ConfigValidationError(problems);
  if (unsubscribe.developmentSecret) notices.push(DEVELOPMENT_SECRET_WARNING);
  if (feedback.developmentSecret) notices.push(DEVELOPMENT_BOUNCE_SECRET_WARNING);
  const tracking = parseTrackingConfig(e, unsubscribe);
  const view = parseViewConfig(e, unsubscribe);

  const concurrency = batchConcurrency({
    configured: e.SENDER_CONCURRENCY,
    ackWaitMs: e.ACK_WAIT_MS,
    providerRates: providers.map((p) => p.ratePerSecond),
  });
  if (concurrency < e.SENDER_CONCURRENCY) {
    notices.push(
      `SENDER_CONCURRENCY ${e.SENDER_CONCURRENCY} capped to ${concurrency}: at the slowest provider's rate, ` +
        `${concurrency} batch(es) of 100 can be sent within ACK_WAIT_MS (${e.ACK_WAIT_MS} ms)`,
    );
  }
  const maxDeferralMs = Math.round(e.MAX_DEFERRAL_HOURS * 3_600_000);
  return {
    ...commonConfig(e),
    providers,
    dkim: dkim.ok ? dkim.value : [],
    concurrency,
    requestedConcurrency: e.SENDER_CONCURRENCY,
    maxAttempts: e.MAX_ATTEMPTS,
    maxDeferralMs,
    retry: {
      sender: {
        maxDeliver: batchMaxDeliver({
          maxAttempts: e.MAX_ATTEMPTS,
          maxDeferralMs,
          retryBaseDelayMs: e.RETRY_BASE_DELAY_MS,
          retryMaxDelayMs: e.RETRY_MAX_DELAY_MS,
        }),
        baseDelayMs: e.RETRY_BASE_DELAY_MS,
        maxDelayMs: e.RETRY_MAX_DELAY_MS,
      },
    },
    ackWaitMs: e.ACK_WAIT_MS,
    progressIntervalMs: e.BATCH_PROGRESS_INTERVAL_MS,
    unsubscribe,
    ...(tracking ? { tracking } : {}),
    ...(view ? { view } : {}),
    feedback,
    rendering: { maxEmailBytes: e.MAX_RENDERED_EMAIL_BYTES, failuresToStop: e.RENDER_FAILURES_TO_STOP },
    notices,
  };
}

/** SMTP_PROVIDERS if set, else SMTP_URL as the one provider `default`. */
function resolveProviders(e: SenderEnv, problems: string[], notices: string[]): ProviderConfig[] {
  const defaults: ProviderDefaults = {
    pool: {
      maxConnections: e.SMTP_MAX_CONNECTIONS,
      maxMessages: e.SMTP_MAX_MESSAGES,
      connectionTimeoutMs: e.SMTP_CONNECTION_TIMEOUT_MS,
      greetingTimeoutMs: e.SMTP_GREETING_TIMEOUT_MS,
      socketTimeoutMs: e.SMTP_SOCKET_TIMEOUT_MS,
      dataTimeoutMs: e.SMTP_DATA_TIMEOUT_MS,
    },
    breaker: { failureThreshold: e.SMTP_BREAKER_FAILURE_THRESHOLD, cooldownMs: e.SMTP_BREAKER_COOLDOWN_MS },
  };
  if (e.SMTP_PROVIDERS.trim() !== '') {
    if (e.SMTP_URL !== '') notices.push('SMTP_URL, SMTP_RATE_PER_SECOND and SMTP_BURST are ignored: SMTP_PROVIDERS is set');
    const parsed = parseSmtpProviders(e.SMTP_PROVIDERS, defaults);
    if (!parsed.ok) problems.push(...parsed.problems);
    return parsed.ok ? parsed.value : [];
  }
  if (e.SMTP_URL === '') {
    if (!problems.some((p) => p.startsWith('SMTP_URL:'))) {
      problems.push('SMTP_URL: is required unless SMTP_PROVIDERS is set, e.g. smtp://user:pass@host:587');
    }
    return [];
  }
  const rate = e.SMTP_RATE_PER_SECOND > 0 ? e.SMTP_RATE_PER_SECOND : undefined;
  const burst = rate === undefined ? undefined : e.SMTP_BURST > 0 ? e.SMTP_BURST : defaultBurst(rate);
  if (rate !== undefined && burst !== undefined) {
    const problem = checkBucket(rate, burst);
    if (problem) problems.push(`SMTP_BURST: ${problem}`);
  }
  return [
    {
      name: SINGLE_PROVIDER_NAME,
      url: e.SMTP_URL,
      maskedUrl: maskSmtpUrl(e.SMTP_URL),
      ...(rate !== undefined ? { ratePerSecond: rate, burst } : {}),
      priority: 0,
      ...defaults,
    },
  ];
}

function pick(env: Record<string, string | undefined>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) picked[name] = value;
  }
  return picked;
}
