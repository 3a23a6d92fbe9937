import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { status as Status } from '@grpc/grpc-js';
import { throwError, type Observable } from 'rxjs';
import { ApiError } from '../http/api-errors';
import { grpcCallOf } from './grpc-caller';
import { internalGrpcError, toGrpcError, type GrpcError } from './grpc-status';

/**
 * The one place that turns errors into gRPC statuses (the HTTP twin is ApiErrorFilter). Every
 * failed call is logged with its method, key name and code; an unknown error also with its stack,
 * which the caller never sees.
 */
@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('GrpcErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const { path, caller } = grpcCallOf(host);
    const error: GrpcError = exception instanceof ApiError ? toGrpcError(exception) : internalGrpcError();
    const fields = { rpc: path, apiKey: caller, code: Status[error.code] };
    if (exception instanceof ApiError) {
      this.logger.log({ ...fields, error: exception.code, field: exception.field }, 'gRPC call refused');
    } else {
      const err = exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : exception;
      this.logger.error({ ...fields, err }, 'gRPC call failed');
    }
    return throwError(() => error);
  }
}
