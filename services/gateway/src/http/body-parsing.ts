import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded, type NextFunction, type Request, type Response } from 'express';
import { isSubscriberImport } from '../lists/import-route';
import { isUnsubscribeRequest, UNSUBSCRIBE_BODY_LIMIT_BYTES } from '../unsubscribe/unsubscribe-route';
import { ApiError, MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from './api-errors';

interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
}

/** A request that carries a body (RFC 9110: Content-Length above 0, or chunked). */
const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/**
 * JSON bodies up to `limitBytes`, as a JSON object. Parser failures become the API's own errors
 * here, so the response says what was wrong (and the limit) in the usual `{ error, message }` shape.
 * Subscriber imports are left alone: their route reads the body as a stream. Unsubscribe links
 * take the small form mail clients send.
 */
export function installJsonBodyParser(app: NestExpressApplication, limitBytes: number): void {
  const parseJson = json({ limit: limitBytes });
  // A one-click unsubscribe is a small form; its content is not needed (the link is the request), but it must not be refused.
  const parseForm = urlencoded({ limit: UNSUBSCRIBE_BODY_LIMIT_BYTES, extended: false });
  // A subscriber import is streamed by its route (CSV or NDJSON, up to MAX_IMPORT_BYTES): no parser may read it first.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isUnsubscribeRequest(req)) return parseForm(req, res, next);
    return isSubscriberImport(req) ? next() : parseJson(req, res, next);
  });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (isSubscriberImport(req) || isUnsubscribeRequest(req)) return next();
    if (hasBody(req) && !req.is('application/json')) {
      return next(new UnsupportedMediaTypeError('Request body must be JSON (Content-Type: application/json)'));
    }
    if (Array.isArray(req.body)) return next(new MalformedBodyError('Request body must be a JSON object'));
    return next();
  });
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (error instanceof ApiError) return next(error);
    const type = (error as BodyParserError | undefined)?.type;
    if (type === 'entity.parse.failed') return next(new MalformedBodyError('Request body is not valid JSON'));
    if (type === 'entity.too.large') {
      return next(new PayloadTooLargeError(`Request body is larger than the limit of ${limitBytes} bytes`));
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return next(new MalformedBodyError('Request body must be UTF-8 JSON'));
    }
    // Anything else the parser refuses (a broken gzip stream, a wrong Content-Length, an aborted
    // upload) is the request's fault: a 400, not a 500, and without the parser's own words.
    const status = (error as BodyParserError | undefined)?.status;
    if (status !== undefined && status >= 400 && status < 500) {
      return next(new MalformedBodyError('Request body could not be read (check Content-Encoding and Content-Length)'));
    }
    return next(error);
  });
}
