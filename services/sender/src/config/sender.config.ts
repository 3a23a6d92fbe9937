import { CommonEnv, loadEnv, toInt } from '@mailroom/config';
import { DEFAULT_SMTP_POOL, type SmtpOptions } from '@mailroom/mailer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

const int = { message: 'must be a whole number' };

/** Environment of the sender. */
export class SenderEnv extends CommonEnv {
  override HTTP_PORT = 3002;

  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. Required. */
  @IsString({ message: 'is required, e.g. smtp://user:pass@host:587' })
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL: string = undefined as unknown as string;

  @toInt() @IsInt(int) @Min(1) @Max(100)
  SMTP_MAX_CONNECTIONS: number = DEFAULT_SMTP_POOL.maxConnections;

  @toInt() @IsInt(int) @Min(1)
  SMTP_MAX_MESSAGES: number = DEFAULT_SMTP_POOL.maxMessages;

  @toInt() @IsInt(int) @Min(100)
  SMTP_CONNECTION_TIMEOUT_MS: number = DEFAULT_SMTP_POOL.connectionTimeoutMs;

  @toInt() @IsInt(int) @Min(100)
  SMTP_GREETING_TIMEOUT_MS: number = DEFAULT_SMTP_POOL.greetingTimeoutMs;

  @toInt() @IsInt(int) @Min(100)
  SMTP_SOCKET_TIMEOUT_MS: number = DEFAULT_SMTP_POOL.socketTimeoutMs;

  /** Batches this process works on at once. */
  @toInt() @IsInt(int) @Min(1) @Max(256)
  SENDER_CONCURRENCY = 4;

  /** SMTP attempts per recipient before a transient failure becomes final. */
  @toInt() @IsInt(int) @Min(1) @Max(50)
  MAX_ATTEMPTS = 5;

  /** First retry delay of a batch with deferred recipients; doubles per attempt, with jitter. */
  @toInt() @IsInt(int) @Min(0)
  RETRY_BASE_DELAY_MS = 10_000;

  @toInt() @IsInt(int) @Min(0)
  RETRY_MAX_DELAY_MS = 600_000;

  /** The batch consumer's ack wait. The transport calls working() every third of it while a batch runs. */
  @toInt() @IsInt(int) @Min(1_000)
  ACK_WAIT_MS = 60_000;
}

export interface SenderConfig {
  readonly natsUrl: string;
  readonly namespace: string;
  readonly httpPort: number;
  readonly logLevel: string;
  readonly shutdownTimeoutMs: number;
  readonly streamReplicas: number;
  readonly smtp: SmtpOptions;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly ackWaitMs: number;
}

export const SENDER_CONFIG = Symbol('SenderConfig');

export function loadSenderConfig(env: Record<string, string | undefined> = process.env): SenderConfig {
  const e = loadEnv(SenderEnv, env);
  return {
    natsUrl: e.NATS_URL,
    namespace: e.MAILROOM_NAMESPACE,
    httpPort: e.HTTP_PORT,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    streamReplicas: e.STREAM_REPLICAS,
    smtp: {
      url: e.SMTP_URL,
      maxConnections: e.SMTP_MAX_CONNECTIONS,
      maxMessages: e.SMTP_MAX_MESSAGES,
      connectionTimeoutMs: e.SMTP_CONNECTION_TIMEOUT_MS,
      greetingTimeoutMs: e.SMTP_GREETING_TIMEOUT_MS,
      socketTimeoutMs: e.SMTP_SOCKET_TIMEOUT_MS,
    },
    concurrency: e.SENDER_CONCURRENCY,
    maxAttempts: e.MAX_ATTEMPTS,
    retryBaseDelayMs: e.RETRY_BASE_DELAY_MS,
    retryMaxDelayMs: e.RETRY_MAX_DELAY_MS,
    ackWaitMs: e.ACK_WAIT_MS,
  };
}
