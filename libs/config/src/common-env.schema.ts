import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** Parses an integer variable; anything that is not a whole number stays a string and fails @IsInt. */
export const toInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
  );

/** Parses a true/false variable. */
export const toBool = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return value;
  });

/**
 * Variables every service reads. Each property has a default (or is explicitly required by the
 * subclass), so `Object.keys(new Schema())` lists every variable a service understands.
 */
export class CommonEnv {
  /** NATS server(s) with JetStream, comma-separated. */
  @IsString()
  @Matches(/^(nats|tls|ws|wss):\/\/[^\s]+$/, {
    message: 'must be a nats:// URL (comma-separate several servers)',
    each: false,
  })
  NATS_URL = 'nats://127.0.0.1:4222';

  /**
   * Prefix of every stream, consumer, bucket and subject: two deployments (or test runs) can share
   * one NATS. Every service of a deployment must use the same.
   */
  @Matches(/^[a-z0-9][a-z0-9_-]{0,31}$/, {
    message: 'must be 1-32 characters of a-z, 0-9, "-" or "_", starting with a letter or digit',
  })
  MAILROOM_NAMESPACE = 'mailroom';

  /** Port of the health and metrics endpoints (and of the HTTP API on the gateway). */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(65535)
  HTTP_PORT = 0;

  /** `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent` (JSON logs on stdout). */
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /**
   * Replicas of every stream, bucket and object store this service creates: 1 on a single server,
   * 3 on a clustered JetStream in production (losing one server then loses nothing).
   */
  @toInt()
  @IsIn([1, 3, 5], { message: 'must be 1, 3 or 5' })
  STREAM_REPLICAS = 1;

  /**
   * How long a starting process keeps waiting for NATS and JetStream (connection, a cluster still
   * electing its leaders, streams and consumers being created by other processes starting at the
   * same moment) before it gives up and exits.
   */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1_000)
  BOOT_TIMEOUT_MS = 120_000;

  /** How long SIGTERM may take to finish in-flight work before the process exits anyway. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /**
   * Publish per-recipient events (`recipient.delivered`, `failed`, `bounced`, `complained`,
   * `opened`, `clicked`, `unsubscribed`) on the `<ns>-recipient-events` stream, and allow
   * newsletters to ask for them as webhooks (`recipientWebhooks`). Costs one more JetStream
   * publish per recipient in the senders (docs/events.md). Set it alike on every service.
   */
  @toBool()
  @IsBoolean({ message: 'must be true or false' })
  RECIPIENT_EVENTS = false;

  /** How long the recipient-events stream keeps an event (it holds addresses: this bounds how long), in hours. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(8_760)
  RECIPIENT_EVENTS_MAX_AGE_HOURS = 72;

  /**
   * Most bytes the recipient-events stream holds (the oldest events go first beyond it; about 400
   * bytes an event); 0: no byte cap, the age bound only. A cap is reserved on the NATS server's
   * JetStream storage when the stream is created, whether events are published or not, hence no
   * cap by default (RECIPIENT_EVENTS is off by default): with it on, set one sized to your traffic.
   */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  RECIPIENT_EVENTS_MAX_BYTES = 0;
}

/** The common part of every service's typed config. */
export interface CommonConfig {
  readonly natsUrl: string;
  readonly namespace: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  /** Replicas of every stream, bucket and object store; every service of a deployment must agree. */
  readonly streamReplicas: number;
  readonly bootTimeoutMs: number;
  /** Per-recipient events: published at all (RECIPIENT_EVENTS), and their stream's limits. */
  readonly recipientEvents: RecipientEventsConfig;
}

export interface RecipientEventsConfig {
  readonly enabled: boolean;
  readonly maxAgeMs: number;
  readonly maxBytes: number;
}

export function commonConfig(env: CommonEnv): CommonConfig {
  return {
    natsUrl: env.NATS_URL,
    namespace: env.MAILROOM_NAMESPACE,
    httpPort: env.HTTP_PORT,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    streamReplicas: env.STREAM_REPLICAS,
    bootTimeoutMs: env.BOOT_TIMEOUT_MS,
    recipientEvents: {
      enabled: env.RECIPIENT_EVENTS,
      maxAgeMs: env.RECIPIENT_EVENTS_MAX_AGE_HOURS * 3_600_000,
      maxBytes: env.RECIPIENT_EVENTS_MAX_BYTES,
    },
  };
}
