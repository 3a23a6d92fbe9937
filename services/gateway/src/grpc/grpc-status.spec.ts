import { status as Status } from '@grpc/grpc-js';
import {
  ConcurrentUpdateError,
  ConflictError,
  ForbiddenError,
  IdempotencyConflictError,
  MalformedBodyError,
  NotFoundError,
  NotImplementedError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableError,
  ValidationFailedError,
  type ApiError,
} from '../http/api-errors';
import { grpcCodeOf, internalGrpcError, toGrpcError } from './grpc-status';

describe('gRPC status of API errors', () => {
  it.each<[ApiError, Status]>([
    [new ValidationFailedError('subject must not be empty', 'subject'), Status.INVALID_ARGUMENT],
    [new MalformedBodyError('bad'), Status.INVALID_ARGUMENT],
    [new UnauthorizedError('Invalid API key'), Status.UNAUTHENTICATED],
    [new ForbiddenError('from: not allowed', 'from'), Status.PERMISSION_DENIED],
    [new NotFoundError('No newsletter'), Status.NOT_FOUND],
    [new IdempotencyConflictError('reused', 'Idempotency-Key'), Status.ALREADY_EXISTS],
    [new ConcurrentUpdateError('changed meanwhile'), Status.ABORTED],
    [new ConflictError('still sending'), Status.FAILED_PRECONDITION],
    [new UnprocessableError('cannot'), Status.FAILED_PRECONDITION],
    [new PayloadTooLargeError('too large'), Status.RESOURCE_EXHAUSTED],
    [new RateLimitedError('slow down', 3), Status.RESOURCE_EXHAUSTED],
    [new ServiceUnavailableError('tracker down'), Status.UNAVAILABLE],
    [new NotImplementedError('later'), Status.UNIMPLEMENTED],
  ])('%s → %s', (error, code) => {
    expect(grpcCodeOf(error)).toBe(code);
  });

  it('carries the message, the error code and the field', () => {
    const error = toGrpcError(new ValidationFailedError('recipients[1].email must be a single bare email address', 'recipients[1].email'));
    expect(error).toMatchObject({ code: Status.INVALID_ARGUMENT, details: 'recipients[1].email must be a single bare email address' });
    expect(error.metadata.get('error')).toEqual(['validation_failed']);
    expect(error.metadata.get('field')).toEqual(['recipients[1].email']);
  });

  it('tells a rate-limited caller when to retry', () => {
    expect(toGrpcError(new RateLimitedError('slow down', 7)).metadata.get('retry-after')).toEqual(['7']);
  });

  it('says nothing about an internal error', () => {
    expect(internalGrpcError()).toMatchObject({ code: Status.INTERNAL, details: 'Internal error' });
  });
});
