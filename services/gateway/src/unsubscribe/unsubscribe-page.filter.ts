import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from '../http/api-errors';
import { errorPage, sendPage } from './unsubscribe-pages';

const TITLES: Readonly<Record<number, string>> = { 400: 'Link not valid', 403: 'Link not valid', 503: 'Please try again' };

/**
 * Errors of the unsubscribe pages, for people: a small page with the error's message (never a
 * stack). A client that asks for JSON gets the API's usual `{ error, message, field? }`.
 */
@Catch()
export class UnsubscribePageFilter implements ExceptionFilter {
  private readonly logger = new Logger('UnsubscribePageFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const known = exception instanceof ApiError ? exception : undefined;
    if (!known) {
      const error = exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : exception;
      this.logger.error({ err: error }, 'Unsubscribe request failed');
    }
    const status = known?.status ?? 500;
    const message = known?.message ?? 'Something went wrong on our side; nothing was changed. Please try again later.';
    if (request.accepts(['html', 'json']) === 'json') {
      response.status(status).json({ error: known?.code ?? 'internal', message, ...(known?.field ? { field: known.field } : {}) });
      return;
    }
    sendPage(response, status, errorPage(TITLES[status] ?? 'Something went wrong', message));
  }
}
