import { CommonEnv, ConfigValidationError, commonConfig, loadEnv, toInt, type CommonConfig } from '@mailroom/config';
import { bounceSecretRequirement, parseBounceDomain, productionRequirement, resolveBounceSecret, type FeedbackTokens } from '@mailroom/contracts';
import type { RetryPolicy } from '@mailroom/jetstream';
import type { KeyObject } from 'node:crypto';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { sendgridKey } from '../webhooks/sendgrid';

const int = { message: 'must be a whole number' };

/** A suppression that failed (NATS away for a moment) is tried again: 1 s doubling to 30 s, 10 times. */
export const SUPPRESS_RETRY: RetryPolicy = { maxDeliver: 10, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** Environment of the feedback service. */
export class FeedbackEnv extends CommonEnv {
  override HTTP_PORT = 3004;

  /** Port of the inbound SMTP server that receives bounces (DSNs) and complaints (ARF) for BOUNCE_DOMAIN. */
  @toInt() @IsInt(int) @Min(1) @Max(65_535)
  FEEDBACK_SMTP_PORT = 2525;

  /**
   * The domain of the bounce addresses (the senders' BOUNCE_DOMAIN; its MX points here). Mail for
   * any other domain is refused at RCPT: never a relay. Default outside production: `bounces.localhost`.
   */
  @IsString()
  BOUNCE_DOMAIN = '';

  /**
   * Checks the signed bounce addresses and Message-IDs: the same value as the senders'. Empty: the
   * public development secret, refused (as by the senders) with `NODE_ENV=production` and when
   * BOUNCE_DOMAIN is not a reserved test domain.
   */
  @IsString()
  BOUNCE_SECRET = '';

  /** Largest report accepted (a DSN or ARF usually encloses the original message). */
  @toInt() @IsInt(int) @Min(1_024) @Max(50 * 1024 * 1024)
  FEEDBACK_MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

  /** Reports accepted per minute from one client address (burst: a tenth of it); more hear 421 and retry later. */
  @toInt() @IsInt(int) @Min(1) @Max(1_000_000)
  FEEDBACK_MESSAGES_PER_MINUTE_PER_IP = 600;

  /** SMTP connections served at once; more are told to come back later (421). */
  @toInt() @IsInt(int) @Min(1) @Max(10_000)
  FEEDBACK_MAX_CONNECTIONS = 100;

  /** Soft bounces (4.x.x, delayed) of one address within SOFT_BOUNCE_WINDOW_DAYS that suppress it like a hard bounce; 0: never. */
  @toInt() @IsInt(int) @Min(0) @Max(1_000)
  SOFT_BOUNCE_LIMIT = 3;

  /** The window SOFT_BOUNCE_LIMIT counts over, in days (at most 30: soft bounces are kept that long). */
  @toInt() @IsInt(int) @Min(1) @Max(30)
  SOFT_BOUNCE_WINDOW_DAYS = 7;

  /** Mailgun's webhook signing key: turns on `POST /webhooks/mailgun` (HMAC-checked). */
  @IsString()
  MAILGUN_WEBHOOK_SIGNING_KEY = '';

  /** SendGrid's Event Webhook verification key (base64, as SendGrid shows it): turns on `POST /webhooks/sendgrid` (ECDSA-checked). */
  @IsString()
  SENDGRID_WEBHOOK_PUBLIC_KEY = '';

  /** `user:password` of the basic auth in Postmark's webhook URL: turns on `POST /webhooks/postmark`. */
  @IsString()
  POSTMARK_WEBHOOK_CREDENTIALS = '';

  /** Comma-separated ARNs of the SNS topics SES publishes bounces and complaints to: turns on `POST /webhooks/ses` (SNS-signature-checked). */
  @IsString()
  SES_SNS_TOPIC_ARNS = '';

  /** Extra hosts (host:port) trusted for SNS signing certificates and subscription URLs besides AWS's `sns.<region>.amazonaws.com` (plain http only for loopback: tests). */
  @IsString()
  SNS_TRUSTED_HOSTS = '';

  /** A signed webhook whose timestamp is further than this from now is refused (a replay). */
  @toInt() @IsInt(int) @Min(10) @Max(86_400)
  FEEDBACK_WEBHOOK_MAX_AGE_SECONDS = 300;

  /** Largest webhook body accepted (413 above). */
  @toInt() @IsInt(int) @Min(1_024) @Max(20 * 1024 * 1024)
  FEEDBACK_WEBHOOK_MAX_BYTES = 1024 * 1024;
}

/** The provider webhooks that are on, with what checks them; none is on unless its secret is set. */
export interface WebhookConfig {
  readonly mailgunSigningKey?: string;
  readonly sendgridKey?: KeyObject;
  readonly postmarkCredentials?: string;
  /** SES through SNS: the topics taken and the extra trusted hosts. */
  readonly ses?: { readonly topicArns: readonly string[]; readonly trustedHosts: readonly string[] };
  readonly maxAgeSeconds: number;
  readonly maxBytes: number;
}

export interface FeedbackConfig extends CommonConfig {
  readonly smtpPort: number;
  readonly bounceDomain: string;
  /** Checks tokens; holds no readable secret. */
  readonly tokens: FeedbackTokens;
  readonly developmentSecret: boolean;
  readonly maxMessageBytes: number;
  readonly maxConnections: number;
  readonly messagesPerMinutePerIp: number;
  readonly webhooks: WebhookConfig;
  /** Soft bounces within `windowMs` that suppress an address; 0: never. */
  readonly softBounces: { readonly limit: number; readonly windowMs: number };
  readonly retry: { readonly feedback: RetryPolicy };
}

export const FEEDBACK_CONFIG = Symbol('FeedbackConfig');

/** Where bounces go when BOUNCE_DOMAIN is not set outside production (nothing routes mail to it). */
export const DEVELOPMENT_BOUNCE_DOMAIN = 'bounces.localhost';

export function loadFeedbackConfig(env: Record<string, string | undefined> = process.env): FeedbackConfig {
  const problems: string[] = [];
  const e = loadEnv(FeedbackEnv, env);
  const inProduction = productionRequirement(env['NODE_ENV']);
  const parsed = parseBounceDomain(e.BOUNCE_DOMAIN);
  let bounceDomain = parsed.ok ? parsed.domain : '';
  if (!parsed.ok) {
    problems.push(`BOUNCE_DOMAIN: ${parsed.problem}`);
  } else if (bounceDomain === '') {
    if (inProduction !== null) problems.push(`BOUNCE_DOMAIN: is required ${inProduction}: the domain of the bounce addresses, e.g. bounces.acme.example`);
    else bounceDomain = DEVELOPMENT_BOUNCE_DOMAIN;
  }
  // The senders' rule (one function): the public development secret never checks bounces for a public domain.
  const secret = resolveBounceSecret(e.BOUNCE_SECRET, { requiredWhen: bounceSecretRequirement(env['NODE_ENV'], parsed.ok ? bounceDomain : '') });
  if (!secret.ok) problems.push(`BOUNCE_SECRET: ${secret.problem}`);
  const webhooks = webhookConfig(e, problems);
  if (problems.length > 0 || !secret.ok) throw new ConfigValidationError(problems);
  return {
    ...commonConfig(e),
    smtpPort: e.FEEDBACK_SMTP_PORT,
    bounceDomain,
    tokens: secret.tokens,
    developmentSecret: secret.development,
    maxMessageBytes: e.FEEDBACK_MAX_MESSAGE_BYTES,
    maxConnections: e.FEEDBACK_MAX_CONNECTIONS,
    messagesPerMinutePerIp: e.FEEDBACK_MESSAGES_PER_MINUTE_PER_IP,
    webhooks,
    softBounces: { limit: e.SOFT_BOUNCE_LIMIT, windowMs: e.SOFT_BOUNCE_WINDOW_DAYS * 86_400_000 },
    retry: { feedback: SUPPRESS_RETRY },
  };
}

/** Problems never quote the values: they are secrets (the SendGrid key is public, but kept alike). */
function webhookConfig(e: FeedbackEnv, problems: string[]): WebhookConfig {
  let sendgrid: KeyObject | undefined;
  if (e.SENDGRID_WEBHOOK_PUBLIC_KEY !== '') {
    try {
      sendgrid = sendgridKey(e.SENDGRID_WEBHOOK_PUBLIC_KEY.trim());
      if (sendgrid.asymmetricKeyType !== 'ec') throw new Error('not an EC key');
    } catch {
      problems.push('SENDGRID_WEBHOOK_PUBLIC_KEY: must be the base64 verification key SendGrid shows for the webhook (an ECDSA public key)');
    }
  }
  if (e.POSTMARK_WEBHOOK_CREDENTIALS !== '' && !/^[^:]+:.{8,}$/.test(e.POSTMARK_WEBHOOK_CREDENTIALS)) {
    problems.push('POSTMARK_WEBHOOK_CREDENTIALS: must be user:password (a password of 8+ characters)');
  }
  const topicArns = listOf(e.SES_SNS_TOPIC_ARNS);
  if (topicArns.some((arn) => !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(arn))) {
    problems.push('SES_SNS_TOPIC_ARNS: must be SNS topic ARNs, e.g. arn:aws:sns:eu-west-1:123456789012:ses-feedback');
  }
  if (e.MAILGUN_WEBHOOK_SIGNING_KEY !== '' && e.MAILGUN_WEBHOOK_SIGNING_KEY.length < 16) problems.push('MAILGUN_WEBHOOK_SIGNING_KEY: must be at least 16 characters');
  return {
    ...(e.MAILGUN_WEBHOOK_SIGNING_KEY !== '' ? { mailgunSigningKey: e.MAILGUN_WEBHOOK_SIGNING_KEY } : {}),
    ...(sendgrid ? { sendgridKey: sendgrid } : {}),
    ...(e.POSTMARK_WEBHOOK_CREDENTIALS !== '' ? { postmarkCredentials: e.POSTMARK_WEBHOOK_CREDENTIALS } : {}),
    ...(topicArns.length > 0 ? { ses: { topicArns, trustedHosts: listOf(e.SNS_TRUSTED_HOSTS) } } : {}),
    maxAgeSeconds: e.FEEDBACK_WEBHOOK_MAX_AGE_SECONDS,
    maxBytes: e.FEEDBACK_WEBHOOK_MAX_BYTES,
  };
}

function listOf(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
