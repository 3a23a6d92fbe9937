import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError, RateLimitedError } from './api-errors';

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field?: string;
}

/**
 * The one place that turns errors into HTTP answers. Known errors keep their status and message;
 * anything else is a 500 with a generic message, logged once with its stack (never sent).
 * gRPC calls have their own filter (grpc/grpc-error.filter.ts); this one only answers HTTP.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toAnswer(exception);
    if (status >= 500) {
      this.logger.error(
        { err: exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : exception },
        'Request failed',
      );
    }
    if (response.headersSent) return;
    if (exception instanceof RateLimitedError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(status).json(body);
  }

  private toAnswer(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof ApiError) return this.fromApiError(exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 400 ? 'bad_request' : status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : `http_${status}`;
      const message = status >= 500 ? 'Internal error' : exception.message;
      return { status, body: { error: code, message } };
    }
    return { status: 500, body: { error: 'internal', message: 'Internal error' } };
  }

  private fromApiError(error: ApiError): { status: number; body: ErrorBody } {
    return {
      status: error.status,
      body: { error: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    };
  }
}
