import { CommonEnv, toBool, toInt } from '@mailroom/config';
import { IsBoolean, IsInt, IsString, Max, Min } from 'class-validator';

const int = { message: 'must be a whole number' };

/** Environment of the gateway. Every property is a variable; see the README's configuration table. */
export class GatewayEnv extends CommonEnv {
  override HTTP_PORT = 3000;

  /** gRPC API (and grpc.health.v1) port. */
  @toInt()
  @IsInt(int)
  @Min(0)
  @Max(65535)
  GRPC_PORT = 50051;

  /** Comma-separated API keys, each `key`, `name:key` or `name:sha256:<hex>`. Required. */
  @IsString({ message: 'is required (comma-separated API keys, each "key", "name:key" or "name:sha256:<hex>")' })
  API_KEYS: string = undefined as unknown as string;

  /** Comma-separated names of keys in API_KEYS that are refused (revoked). */
  @IsString()
  API_KEYS_REVOKED = '';

  /** Requests per minute per API key (per gateway replica); 0 turns the limit off. */
  @toInt()
  @IsInt(int)
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Requests a key may make at once before the per-minute rate applies. */
  @toInt()
  @IsInt(int)
  @Min(1)
  RATE_LIMIT_BURST = 60;

  /** Sender used when a request has no `from`. */
  @IsString()
  DEFAULT_FROM = 'Mailroom <newsletter@mailroom.localhost>';

  /** Comma-separated sender addresses and `@domains` requests may use; empty: DEFAULT_FROM's address only. */
  @IsString()
  ALLOWED_FROM = '';

  /** Webhooks may target loopback, private and link-local addresses (closed deployments only). */
  @toBool()
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE = false;

  /** Comma-separated webhook hosts (names or IPs) allowed whatever they resolve to. */
  @IsString()
  WEBHOOK_ALLOWED_HOSTS = '';

  /** Largest request body accepted, in bytes (also the largest gRPC message). */
  @toInt()
  @IsInt(int)
  @Min(1024)
  MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** Most recipients one inline request may carry. */
  @toInt()
  @IsInt(int)
  @Min(1)
  @Max(1_000_000)
  MAX_INLINE_RECIPIENTS = 100_000;

  /** Largest subscriber import (CSV or NDJSON body), in bytes; streamed, so this bounds disk, not memory. */
  @toInt()
  @IsInt(int)
  @Min(1024)
  MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

  /** How often a gRPC WatchNewsletter stream asks the tracker for the status. */
  @toInt()
  @IsInt(int)
  @Min(50)
  WATCH_POLL_INTERVAL_MS = 500;

  /** Most WatchNewsletter streams open at once on one gateway. */
  @toInt()
  @IsInt(int)
  @Min(1)
  GRPC_MAX_WATCHES = 1000;

  /**
   * Checks the signature of unsubscribe links (HMAC-SHA256); the sender signs with the same. A
   * secret: never logged. Empty: the public development secret, refused in production.
   */
  @IsString()
  UNSUBSCRIBE_SECRET = '';
}
