import { CommonEnv, toBool, toInt } from '@mailroom/config';
import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { DEFAULT_MACHINE_OPEN_USER_AGENTS } from '../tracking/user-agent-list';

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

  /**
   * Comma-separated API keys, each `label:key` (the key 16+ characters), `label:sha256:<64 hex>` (only
   * the key's SHA-256) or a bare `key` (named `key-<n>`, tenant `default`). `label` is
   * `[tenant/]name[@scope+…]`: the tenant defaults to the name, the scopes (`send`, `read`, `admin`) to
   * `send+read`; e.g. `billing/ops@read+send+admin:<key>`. Logs show the name, never the key.
   */
  @IsString({ message: 'is required (comma-separated API keys, each "key", "[tenant/]name[@scopes]:key" or "…:sha256:<hex>")' })
  API_KEYS: string = undefined as unknown as string;

  /** Comma-separated names of keys in `API_KEYS` that are refused (401 "revoked"); a name `API_KEYS` lacks stops the boot. */
  @IsString()
  API_KEYS_REVOKED = '';

  /** Requests per minute per API key (HTTP and gRPC together, per gateway replica); 0 turns the limit off. */
  @toInt()
  @IsInt(int)
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Requests a key may make at once before the per-minute rate applies. */
  @toInt()
  @IsInt(int)
  @Min(1)
  RATE_LIMIT_BURST = 60;

  /** Test sends (`POST /v1/newsletters/test`) per minute per tenant, all its keys together, per gateway replica (bursts of as many); 0 turns the limit off. */
  @toInt()
  @IsInt(int)
  @Min(0)
  TEST_SENDS_PER_MINUTE = 10;

  /** Sender used when a request has no `from`; must be allowed by `ALLOWED_FROM` (a boot error otherwise). */
  @IsString()
  DEFAULT_FROM = 'Mailroom <newsletter@mailroom.localhost>';

  /** Comma-separated sender addresses and `@domains` (that domain only) a request's `from` may use; empty: `DEFAULT_FROM`'s address only. */
  @IsString()
  ALLOWED_FROM = '';

  /**
   * Allow webhooks to loopback, private, link-local and unique-local addresses (closed deployments,
   * tests): the gateway then accepts such a `webhookUrl`, the tracker delivers to it. Set it alike on both.
   */
  @toBool()
  @IsBoolean({ message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE = false;

  /**
   * Comma-separated webhook hosts (names or IPs) allowed whatever they resolve to: checked by the
   * gateway at submit and again by the tracker at delivery (on the address it connects to). Set it alike on both.
   */
  @IsString()
  WEBHOOK_ALLOWED_HOSTS = '';

  /** Largest request body accepted, in bytes, on the wire and again once decompressed (also the largest gRPC message). */
  @toInt()
  @IsInt(int)
  @Min(1024)
  MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** Most recipients one request may carry inline (`recipients`); larger audiences go through subscriber lists. */
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

  /** How often a gRPC `WatchNewsletter` or an HTTP event stream (`/events`) asks the tracker for the status. */
  @toInt()
  @IsInt(int)
  @Min(50)
  WATCH_POLL_INTERVAL_MS = 500;

  /** Progress streams (gRPC `WatchNewsletter`, HTTP `/events`) open at once on one gateway; beyond it `RESOURCE_EXHAUSTED` / 429. */
  @toInt()
  @IsInt(int)
  @Min(1)
  GRPC_MAX_WATCHES = 1000;

  /** Progress streams (gRPC and HTTP together) one API key may hold open on one gateway; beyond it 429 / `RESOURCE_EXHAUSTED`. */
  @toInt()
  @IsInt(int)
  @Min(1)
  WATCH_MAX_PER_KEY = 50;

  /** A progress stream ends after this long even if its newsletter has not settled (the client reconnects), in ms. */
  @toInt()
  @IsInt(int)
  @Min(1000)
  WATCH_MAX_AGE_MS = 3_600_000;

  /**
   * Signs (sender) and checks (gateway) unsubscribe links, HMAC-SHA256, and the keys of tracked
   * links, open pixels and "view in browser" links are derived from it: 32+ random characters, the
   * same on every gateway and sender. A secret: never logged. Empty: the public development secret
   * (a boot warning; tracking and `{{ view_url }}` are then off), refused with `NODE_ENV=production`
   * and by a sender whose `PUBLIC_BASE_URL` is not localhost.
   */
  @IsString()
  UNSUBSCRIBE_SECRET = '';

  /**
   * The gateway's public origin (an optional path prefix), the sender's `PUBLIC_BASE_URL`: the
   * "view in browser" page (`/v/<token>`) renders `{{ unsubscribe_url }}` and `{{ view_url }}` with
   * it, exactly as in the email. Empty: they are rendered relative to the page
   * (`../unsubscribe/<token>`), which leads to the same place when the reader came through that origin.
   */
  @IsString()
  PUBLIC_BASE_URL = '';

  /**
   * What a newsletter tracks when its request does not say (`tracking`): `none`, `opens`, `clicks`
   * or `opens,clicks`. Tracking links and pixels are signed with keys derived from UNSUBSCRIBE_SECRET.
   */
  @Matches(/^(none|opens|clicks|opens,clicks|clicks,opens)$/, { message: 'must be none, opens, clicks or opens,clicks' })
  TRACKING_DEFAULT = 'none';

  /**
   * Client networks whose opens are a machine's, not a reader's (a mail privacy proxy that fetches
   * every image, such as Apple Mail Privacy Protection's published egress ranges), comma-separated
   * CIDRs (IPv4 or IPv6): counted as `machineOpens`, not `opens`. Empty: none known.
   */
  @IsString()
  MACHINE_OPEN_CIDRS = '';

  /**
   * User agents whose opens are a machine's, not a reader's: comma-separated substrings, matched
   * case-insensitively anywhere in the `User-Agent` header: counted as `machineOpens`, not `opens`
   * (as are opens from MACHINE_OPEN_CIDRS). The default lists Google's bot that opens mail arriving
   * at Gmail (`Edge/12.246 Mozilla/5.0`), mail security gateways that scan incoming mail (Barracuda,
   * Proofpoint, Cisco Secure Email, Mimecast) and HTTP libraries; not Gmail's or Yahoo's image
   * proxies (they fetch when the reader opens). Unlike other variables, set empty (or `none`) it
   * is the empty list: no user agent is a machine's.
   */
  @IsString()
  MACHINE_OPEN_USER_AGENTS = DEFAULT_MACHINE_OPEN_USER_AGENTS;

  /** Time for a request's headers to arrive, in ms; a client trickling them is cut off (slowloris). */
  @toInt()
  @IsInt(int)
  @Min(100)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /** Time for a whole JSON (or form) request body to arrive once its headers have, in ms; 408 after it. Imports are bounded by IMPORT_MIN_BYTES_PER_SECOND instead. */
  @toInt()
  @IsInt(int)
  @Min(100)
  HTTP_BODY_TIMEOUT_MS = 30_000;

  /** A connection with nothing sent either way for this long is closed, in ms (server-sent event streams are bounded by SSE_MAX_AGE_MS instead). */
  @toInt()
  @IsInt(int)
  @Min(100)
  HTTP_IDLE_TIMEOUT_MS = 30_000;

  /** Request bodies (JSON) read at once by one gateway; beyond it 503 with Retry-After. Bounds the memory bodies can take. */
  @toInt()
  @IsInt(int)
  @Min(1)
  MAX_BODIES_IN_FLIGHT = 16;

  /** Most a compressed (gzip, deflate, br) request body may grow when decompressed, as a multiple of its size on the wire; 413 beyond it. */
  @toInt()
  @IsInt(int)
  @Min(1)
  MAX_INFLATE_RATIO = 32;

  /** Deepest nesting of objects and arrays in a JSON body; 400 beyond it. */
  @toInt()
  @IsInt(int)
  @Min(2)
  @Max(1000)
  JSON_MAX_DEPTH = 32;

  /** Failed authentications (401) per client address per minute; beyond it 429 with Retry-After before the key is looked at. 0 turns the throttle off. */
  @toInt()
  @IsInt(int)
  @Min(0)
  AUTH_FAILURES_PER_MINUTE = 20;

  /** Slowest a subscriber import may arrive, in bytes per second, averaged over IMPORT_THROUGHPUT_WINDOW_MS; a slower one is cut off (408) and its list unlocked. 0 turns it off. */
  @toInt()
  @IsInt(int)
  @Min(0)
  IMPORT_MIN_BYTES_PER_SECOND = 10_240;

  /** Window over which IMPORT_MIN_BYTES_PER_SECOND is measured, in ms. */
  @toInt()
  @IsInt(int)
  @Min(500)
  IMPORT_THROUGHPUT_WINDOW_MS = 15_000;
}
