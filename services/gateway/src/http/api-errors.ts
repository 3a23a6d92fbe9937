/**
 * Errors the gateway answers with. Each maps to one HTTP status and a stable machine-readable
 * `error` code; the response body is always `{ error, message, field? }`.
 */
export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;

  constructor(
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class ValidationFailedError extends ApiError {
  override readonly name = 'ValidationFailedError';
  readonly status = 400;
  readonly code = 'validation_failed';
}

export class MalformedBodyError extends ApiError {
  override readonly name = 'MalformedBodyError';
  readonly status = 400;
  readonly code = 'malformed_json';
}

export class UnauthorizedError extends ApiError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'not_found';
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class ServiceUnavailableError extends ApiError {
  override readonly name = 'ServiceUnavailableError';
  readonly status = 503;
  readonly code = 'service_unavailable';
}

export class ConflictError extends ApiError {
  override readonly name: string = 'ConflictError';
  readonly status = 409;
  readonly code = 'conflict';
}

export class UnprocessableError extends ApiError {
  override readonly name = 'UnprocessableError';
  readonly status = 422;
  readonly code = 'unprocessable';
}

/** The same Idempotency-Key was used with a different request (gRPC: ALREADY_EXISTS). */
export class IdempotencyConflictError extends ConflictError {
  override readonly name = 'IdempotencyConflictError';
}

/** Authenticated, but not allowed to do this (e.g. a `from` outside `ALLOWED_FROM`). */
export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
  readonly code = 'forbidden';
}

/** The key's request budget is spent; `retryAfterSeconds` says when the next request will be taken. */
export class RateLimitedError extends ApiError {
  override readonly name = 'RateLimitedError';
  readonly status = 429;
  readonly code = 'rate_limited';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Part of the public contract, not built yet (says which issue builds it). */
export class NotImplementedError extends ApiError {
  override readonly name = 'NotImplementedError';
  readonly status = 501;
  readonly code = 'not_implemented';
}

/** Lost a race with a concurrent request; trying again shortly succeeds (gRPC: ABORTED). */
export class ConcurrentUpdateError extends ConflictError {
  override readonly name = 'ConcurrentUpdateError';
}

/** A request body that is not JSON (`Content-Type` other than application/json). */
export class UnsupportedMediaTypeError extends ApiError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

/** The request (its headers or body) did not arrive in time, or an import arrived too slowly. */
export class RequestTimeoutError extends ApiError {
  override readonly name = 'RequestTimeoutError';
  readonly status = 408;
  readonly code = 'request_timeout';
}
