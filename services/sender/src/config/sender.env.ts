import { CommonEnv, toInt } from '@mailroom/config';
import { DEFAULT_SMTP_POOL } from '@mailroom/mailer';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsString, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { SMTP_URL_PATTERN } from './smtp-url';

const int = { message: 'must be a whole number' };

/** A week: above the usual MTA queue lifetimes (Postfix 5 days), well inside the ledger's 30-day retention. */
const MAX_DEFERRAL_HOURS_LIMIT = 168;
const number = { message: 'must be a number' };

/** Parses a decimal variable (a rate); anything that is not a number stays a string and fails @IsNumber. */
const toNumber = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value,
  );

/**
 * Environment of the sender. Every property is a variable with a default (an empty string means
 * "not set"), so the deploy checks see exactly one required variable group: SMTP_URL or
 * SMTP_PROVIDERS, which `loadSenderConfig` enforces.
 */
export class SenderEnv extends CommonEnv {
  override HTTP_PORT = 3002;

  /**
   * JSON list of providers (see services/sender/README.md). When set, SMTP_URL, SMTP_RATE_PER_SECOND
   * and SMTP_BURST are ignored; the SMTP_* pool and breaker variables below become the defaults of
   * each provider.
   */
  @IsString()
  SMTP_PROVIDERS = '';

  /** One provider (named `default`): `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. Required unless `SMTP_PROVIDERS` is set. */
  @ValidateIf((env: SenderEnv) => env.SMTP_URL !== '')
  @Matches(SMTP_URL_PATTERN, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL = '';

  /** Emails per second through SMTP_URL, over all sender replicas; 0 (the default) means no limit. */
  @toNumber() @IsNumber({ allowNaN: false, allowInfinity: false }, number) @Min(0)
  SMTP_RATE_PER_SECOND = 0;

  /** Burst of SMTP_URL's bucket; 0 picks max(3, rate / 5). */
  @toNumber() @IsNumber({ allowNaN: false, allowInfinity: false }, number) @Min(0)
  SMTP_BURST = 0;

  /** SMTP connections per provider per sender process (a provider's `maxConnections` overrides it). */
  @toInt() @IsInt(int) @Min(1) @Max(100)
  SMTP_MAX_CONNECTIONS: number = DEFAULT_SMTP_POOL.maxConnections;

  /** Messages per SMTP connection before it is replaced (a provider's `maxMessages` overrides it). */
  @toInt() @IsInt(int) @Min(1)
  SMTP_MAX_MESSAGES: number = DEFAULT_SMTP_POOL.maxMessages;

  /** How long opening an SMTP connection may take (a provider's `timeouts.connectionMs` overrides it). */
  @toInt() @IsInt(int) @Min(100)
  SMTP_CONNECTION_TIMEOUT_MS: number = DEFAULT_SMTP_POOL.connectionTimeoutMs;

  /** How long the server's greeting may take once connected (a provider's `timeouts.greetingMs` overrides it). */
  @toInt() @IsInt(int) @Min(100)
  SMTP_GREETING_TIMEOUT_MS: number = DEFAULT_SMTP_POOL.greetingTimeoutMs;

  /** Idle limit of every SMTP step except the wait for the reply to the end of DATA. */
  @toInt() @IsInt(int) @Min(100)
  SMTP_SOCKET_TIMEOUT_MS: number = DEFAULT_SMTP_POOL.socketTimeoutMs;

  /**
   * How long to wait for the reply to the end of DATA (RFC 5321 §4.5.3.2.6: 10 minutes). No reply
   * within it: the message may have been delivered, so it fails without a retry (see services/sender/README.md).
   */
  @toInt() @IsInt(int) @Min(100)
  SMTP_DATA_TIMEOUT_MS: number = DEFAULT_SMTP_POOL.dataTimeoutMs;

  /** Connection-level failures or throttling replies in a row that open a provider's circuit breaker. */
  @toInt() @IsInt(int) @Min(1) @Max(1000)
  SMTP_BREAKER_FAILURE_THRESHOLD = 5;

  /** How long an open breaker keeps traffic away from its provider before one probe is let through. */
  @toInt() @IsInt(int) @Min(100)
  SMTP_BREAKER_COOLDOWN_MS = 30_000;

  /** JSON list of DKIM keys, one per sending domain (see services/sender/README.md). Holds secrets when keys are inline. */
  @IsString()
  DKIM_KEYS = '';

  /** Batches this process works on at once, capped at ⌊slowest provider rate × `ACK_WAIT_MS` ÷ 1000 ÷ 100⌋ (at least 1). */
  @toInt() @IsInt(int) @Min(1) @Max(256)
  SENDER_CONCURRENCY = 4;

  /**
   * SMTP attempts per recipient before a transient failure becomes final. Only answers about the
   * recipient or message count: a provider outage (no connection, no reply, throttling, every
   * breaker open) does not, and is bounded by MAX_DEFERRAL_HOURS instead.
   */
  @toInt() @IsInt(int) @Min(1) @Max(50)
  MAX_ATTEMPTS = 5;

  /**
   * How long a recipient may stay deferred, from its first deferral, before it fails ("deferred
   * for more than 24 h: …"), like an MTA's queue lifetime. Decimals allowed (0.5 = 30 minutes).
   */
  @toNumber()
  @ValidateBy({
    name: 'deferralHours',
    validator: {
      validate: (value: unknown) => typeof value === 'number' && value > 0 && value <= MAX_DEFERRAL_HOURS_LIMIT,
      defaultMessage: () => `must be a number of hours above 0 and at most ${MAX_DEFERRAL_HOURS_LIMIT}, e.g. 24 or 0.5`,
    },
  })
  MAX_DEFERRAL_HOURS = 24;

  /** First retry delay of a batch with deferred recipients; doubles per attempt, with jitter. */
  @toInt() @IsInt(int) @Min(0)
  RETRY_BASE_DELAY_MS = 10_000;

  /** Longest retry delay of a batch with deferred recipients (the doubling stops here). */
  @toInt() @IsInt(int) @Min(0)
  RETRY_MAX_DELAY_MS = 600_000;

  /**
   * While a batch is sent, how often its recipients settled so far are reported (`batch.progressed`),
   * so the newsletter's progress moves within this instead of a batch at a time. 0: only when the
   * batch is done.
   */
  @toInt() @IsInt(int) @Min(0)
  BATCH_PROGRESS_INTERVAL_MS = 1_000;

  /** The batch consumer's ack wait. The transport calls working() every third of it while a batch runs. */
  @toInt() @IsInt(int) @Min(1_000)
  ACK_WAIT_MS = 60_000;

  /**
   * The gateway's public origin (an optional path prefix), where unsubscribe links, tracked links,
   * open pixels and "view in browser" links point: `https://` (plain `http://` only for localhost).
   * Empty: `http://localhost:3000` outside production (newsletters asking for tracking go untracked,
   * `{{ view_url }}` renders empty); required with `NODE_ENV=production`.
   */
  @IsString()
  PUBLIC_BASE_URL = '';

  /**
   * Signs (sender) and checks (gateway) unsubscribe links, HMAC-SHA256, and the keys of tracked
   * links, open pixels and "view in browser" links are derived from it: 32+ random characters, the
   * same on every gateway and sender. A secret: never logged. Empty: the public development secret
   * (a boot warning; tracking and `{{ view_url }}` are then off), refused with `NODE_ENV=production`
   * and by a sender whose `PUBLIC_BASE_URL` is not localhost.
   */
  @IsString()
  UNSUBSCRIBE_SECRET = '';

  /** A mailbox for a `mailto:` in List-Unsubscribe besides the HTTPS link; empty: none. */
  @IsString()
  UNSUBSCRIBE_MAILTO = '';

  /**
   * The domain of the bounce addresses (VERP): with it set, each email's envelope sender (MAIL FROM,
   * Return-Path) is its own signed address at this domain, whose MX must be the feedback service.
   * Empty: the envelope sender is the From address.
   */
  @IsString()
  BOUNCE_DOMAIN = '';

  /**
   * Signs bounce addresses and Message-IDs (sender) and checks them (feedback): 32+ random
   * characters, the same for both. A secret: never logged. Empty: the public development secret,
   * refused with `NODE_ENV=production` and when BOUNCE_DOMAIN is not a reserved test domain.
   */
  @IsString()
  BOUNCE_SECRET = '';

  /** Largest email (subject, HTML and text together, as rendered for one recipient), in bytes; a larger one fails that recipient before SMTP. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1024)
  MAX_RENDERED_EMAIL_BYTES = 5 * 1024 * 1024;

  /** Render failures in a row (template limits, MAX_RENDERED_EMAIL_BYTES) after which this sender stops rendering a newsletter: its remaining recipients fail at once with the reason. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  RENDER_FAILURES_TO_STOP = 10;
}
