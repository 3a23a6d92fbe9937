import { Controller, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { distinctUntilChanged, map, merge, takeUntil, timer, type Observable } from 'rxjs';
import { NotFoundError } from '../http/api-errors';
import type { Complete } from './complete-message';
import type { HealthDefinition } from './generated/grpc/health/v1/Health';
import type { HealthCheckRequest__Output } from './generated/grpc/health/v1/HealthCheckRequest';
import type { HealthCheckResponse } from './generated/grpc/health/v1/HealthCheckResponse';
import { GrpcErrorFilter } from './grpc-error.filter';
import { grpcRpcOf } from './grpc-rpc.decorator';
import { GrpcServingState, type ServingStatus } from './grpc-serving-state';

const Rpc = grpcRpcOf<HealthDefinition>('Health');

/** "" is the server as a whole; the rest are the services this server offers. */
export const HEALTH_SERVICES: readonly string[] = ['', 'mailroom.v1.Newsletters', 'mailroom.v1.Lists'];
const WATCH_INTERVAL_MS = 1_000;

/**
 * The standard gRPC health checking protocol (`grpc.health.v1.Health`), so load balancers,
 * Kubernetes gRPC probes and grpc_health_probe can ask. No authentication, like `/health/*`.
 */
@ApiExcludeController()
@Controller()
@UseFilters(GrpcErrorFilter)
export class GrpcHealthController {
  constructor(private readonly state: GrpcServingState) {}

  @Rpc('Check')
  check(request: HealthCheckRequest__Output): Complete<HealthCheckResponse> {
    const service = request.service ?? '';
    if (!HEALTH_SERVICES.includes(service)) throw new NotFoundError(`Unknown service "${service}"`);
    return { status: this.state.status() };
  }

  /**
   * The status now and on every change, until the client cancels. At shutdown a last NOT_SERVING
   * goes out and the stream ends, so the gRPC server does not wait on it.
   */
  @Rpc('Watch')
  watch(request: HealthCheckRequest__Output): Observable<Complete<HealthCheckResponse>> {
    const known = HEALTH_SERVICES.includes(request.service ?? '');
    const status = (): ServingStatus => (known ? this.state.status() : 'SERVICE_UNKNOWN');
    return merge(
      timer(0, WATCH_INTERVAL_MS).pipe(takeUntil(this.state.stopped), map(status)),
      this.state.stopped.pipe(map(status)),
    ).pipe(
      distinctUntilChanged(),
      map((current) => ({ status: current })),
    );
  }
}
