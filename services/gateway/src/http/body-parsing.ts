import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { urlencoded, type NextFunction, type Request, type Response } from 'express';
import type { GatewayConfig } from '../config/gateway.config';
import { isSubscriberImport } from '../lists/import-route';
import { isUnsubscribeRequest, UNSUBSCRIBE_BODY_LIMIT_BYTES } from '../unsubscribe/unsubscribe-route';
import { ApiError, MalformedBodyError, PayloadTooLargeError, RateLimitedError, ServiceUnavailableError, UnsupportedMediaTypeError } from './api-errors';
import type { AuthFailureThrottle } from './auth-failure-throttle';
import { parseJsonBody, readBodyText } from './json-body';

interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
}

/** What the edge needs: the key check (it throws 401) and the failed-authentication throttle. */
export interface EdgeGuards {
  readonly authenticate: (authorization: string | undefined) => unknown;
  readonly throttle: AuthFailureThrottle;
}

/** A request that carries a body (RFC 9110: Content-Length above 0, or chunked). */
const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/** Routes that take an API key: the whole API. Unsubscribe links, health, metrics and the docs are public. */
const needsKey = (req: Request) => req.path.startsWith('/v1/') || req.path === '/v1' || req.path.startsWith('/send-newsletter');

/** The client's address, as the socket sees it (a proxy in front makes it the proxy's: see docs/configuration.md). */
export const clientAddress = (req: Request): string => req.socket.remoteAddress ?? 'unknown';

/** An error answered before the body was read: the connection is closed after the answer, so the body is never read. */
function refuseUnread(req: Request, res: Response, next: NextFunction, error: Error): void {
  if (!req.complete) res.setHeader('Connection', 'close');
  next(error);
}

/**
 * The gateway's edge, in the order a request meets it:
 * 1. the API key is checked from the headers alone, before a byte of the body is read; an address
 *    that failed authentication too often gets 429 with Retry-After without its key being looked at;
 * 2. at most `MAX_BODIES_IN_FLIGHT` bodies are read at once (503 with Retry-After beyond it);
 * 3. a JSON body is read under MAX_BODY_BYTES (on the wire and decompressed), MAX_INFLATE_RATIO and
 *    HTTP_BODY_TIMEOUT_MS, then parsed once its nesting is within JSON_MAX_DEPTH.
 * Subscriber imports are left to their route (streamed, with a minimum throughput); unsubscribe
 * links take the small form mail clients send. Errors are the API's own, in the usual shape.
 */
export function installJsonBodyParser(app: NestExpressApplication, config: GatewayConfig, guards: EdgeGuards): void {
  const { edge } = config;
  const limits = { maxBytes: config.maxBodyBytes, maxInflateRatio: edge.maxInflateRatio, timeoutMs: edge.bodyTimeoutMs, maxDepth: edge.jsonMaxDepth };
  // A one-click unsubscribe is a small form; its content is not needed (the link is the request), but it must not be refused.
  const parseForm = urlencoded({ limit: UNSUBSCRIBE_BODY_LIMIT_BYTES, extended: false });
  let bodiesInFlight = 0;

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!needsKey(req)) return next();
    const address = clientAddress(req);
    const wait = guards.throttle.retryAfterSeconds(address);
    if (wait > 0) {
      return refuseUnread(req, res, next, new RateLimitedError(`Too many failed authentications from this address; try again in ${wait} s`, wait));
    }
    try {
      guards.authenticate(req.headers.authorization);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) guards.throttle.fail(address);
      return refuseUnread(req, res, next, error as Error);
    }
    return next();
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isSubscriberImport(req) || !hasBody(req)) return next();
    if (isUnsubscribeRequest(req)) return parseForm(req, res, next);
    if (!req.is('application/json')) {
      return refuseUnread(req, res, next, new UnsupportedMediaTypeError('Request body must be JSON (Content-Type: application/json)'));
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return refuseUnread(req, res, next, new MalformedBodyError('Request body must be UTF-8 JSON'));
    }
    if (bodiesInFlight >= edge.maxBodiesInFlight) {
      res.setHeader('Retry-After', '1');
      return refuseUnread(req, res, next, new ServiceUnavailableError(`This gateway is reading ${bodiesInFlight} request bodies, its limit (MAX_BODIES_IN_FLIGHT); retry shortly`));
    }
    bodiesInFlight++;
    void readBodyText(req, limits)
      .then((text) => {
        const body = parseJsonBody(text, limits.maxDepth);
        if (Array.isArray(body)) throw new MalformedBodyError('Request body must be a JSON object');
        return body;
      })
      .then(
        (body) => {
          bodiesInFlight--;
          req.body = body;
          next();
        },
        (error: Error) => {
          bodiesInFlight--;
          refuseUnread(req, res, next, error);
        },
      );
  });

  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (error instanceof ApiError) return next(error);
    const type = (error as BodyParserError | undefined)?.type;
    if (type === 'entity.too.large') return next(new PayloadTooLargeError(`Request body is larger than the limit of ${UNSUBSCRIBE_BODY_LIMIT_BYTES} bytes`));
    // Anything else the form parser refuses (a broken gzip stream, a wrong Content-Length, an
    // aborted upload) is the request's fault: a 400, not a 500, and without the parser's own words.
    const status = (error as BodyParserError | undefined)?.status;
    if (status !== undefined && status >= 400 && status < 500) {
      return next(new MalformedBodyError('Request body could not be read (check Content-Encoding and Content-Length)'));
    }
    return next(error);
  });
}

/**
 * The HTTP server's own clocks: headers must arrive within HTTP_HEADERS_TIMEOUT_MS, and a socket
 * with nothing sent either way for HTTP_IDLE_TIMEOUT_MS is closed. The whole-request clock stays
 * off (a large import streams for a long time); bodies have their own deadline (JSON: HTTP_BODY_TIMEOUT_MS)
 * or minimum throughput (imports: IMPORT_MIN_BYTES_PER_SECOND). Called before listening: the
 * server checks its connections every `connectionsCheckingInterval`, set here to a fraction of the
 * headers timeout so a slow sender is cut off close to the deadline, not up to 30 s later.
 */
export function applyServerTimeouts(server: Server, config: GatewayConfig): void {
  const { edge } = config;
  server.headersTimeout = edge.headersTimeoutMs;
  server.requestTimeout = 0;
  server.timeout = edge.idleTimeoutMs;
  server.keepAliveTimeout = Math.min(5_000, edge.idleTimeoutMs);
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(250, Math.min(5_000, Math.floor(edge.headersTimeoutMs / 4)));
}
