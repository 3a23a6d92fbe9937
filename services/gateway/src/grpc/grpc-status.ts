import { Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import {
  type ApiError,
  ConcurrentUpdateError,
  IdempotencyConflictError,
  RateLimitedError,
} from '../http/api-errors';

/** What a failed gRPC call ends with: grpc-js reads `code`, `details` and `metadata` (trailers). */
export type GrpcError = Pick<ServiceError, 'code' | 'details' | 'metadata'> & Error;

/**
 * One HTTP status ↔ gRPC code table for the gateway's errors (documented in the .proto). Subclasses
 * that share an HTTP status but mean something else to a gRPC client are told apart first.
 */
export function grpcCodeOf(error: ApiError): Status {
  if (error instanceof IdempotencyConflictError) return Status.ALREADY_EXISTS;
  if (error instanceof ConcurrentUpdateError) return Status.ABORTED;
  switch (error.status) {
    case 400:
    case 415:
      return Status.INVALID_ARGUMENT;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.NOT_FOUND;
    case 409:
    case 422:
      return Status.FAILED_PRECONDITION;
    case 413:
    case 429:
      return Status.RESOURCE_EXHAUSTED;
    case 501:
      return Status.UNIMPLEMENTED;
    case 503:
      return Status.UNAVAILABLE;
    default:
      return error.status >= 500 ? Status.INTERNAL : Status.UNKNOWN;
  }
}

/** The error a gRPC call ends with: status, message, and `error`/`field`/`retry-after` trailers. */
export function toGrpcError(error: ApiError): GrpcError {
  const metadata = new Metadata();
  metadata.set('error', error.code);
  if (error.field) metadata.set('field', error.field);
  if (error instanceof RateLimitedError) metadata.set('retry-after', String(error.retryAfterSeconds));
  return Object.assign(new Error(error.message), { code: grpcCodeOf(error), details: error.message, metadata });
}

/** Anything that is not an ApiError: a bug. The caller learns nothing about it. */
export function internalGrpcError(): GrpcError {
  const metadata = new Metadata();
  metadata.set('error', 'internal');
  return Object.assign(new Error('Internal error'), { code: Status.INTERNAL, details: 'Internal error', metadata });
}
