import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { grpcCallOf } from './grpc-caller';

/**
 * One log line per successful gRPC call (what pino-http does for HTTP): method, key name, time.
 * Failed calls are logged by GrpcErrorFilter.
 */
@Injectable()
export class GrpcCallLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('GrpcCall');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const started = Date.now();
    const { path, caller } = grpcCallOf(context);
    let messages = 0;
    return next.handle().pipe(
      tap({
        next: () => {
          messages += 1;
        },
        complete: () => this.logger.log({ rpc: path, apiKey: caller, code: 'OK', messages, ms: Date.now() - started }, 'gRPC call completed'),
      }),
    );
  }
}
