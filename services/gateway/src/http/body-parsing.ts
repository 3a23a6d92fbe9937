import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type NextFunction, type Request, type Response } from 'express';
import { MalformedBodyError, PayloadTooLargeError } from './api-errors';

interface BodyParserError {
  readonly type?: string;
}

/**
 * JSON bodies up to `limitBytes`. Parser failures become the API's own errors here, so the
 * response says what was wrong (and the limit) in the usual `{ error, message }` shape.
 */
export function installJsonBodyParser(app: NestExpressApplication, limitBytes: number): void {
  app.use(json({ limit: limitBytes }));
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    const type = (error as BodyParserError | undefined)?.type;
    if (type === 'entity.parse.failed') return next(new MalformedBodyError('Request body is not valid JSON'));
    if (type === 'entity.too.large') {
      return next(new PayloadTooLargeError(`Request body is larger than the limit of ${limitBytes} bytes`));
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return next(new MalformedBodyError('Request body must be UTF-8 JSON'));
    }
    return next(error);
  });
}
