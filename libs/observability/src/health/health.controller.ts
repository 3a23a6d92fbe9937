import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';

/** What readiness depends on (NATS connected and consumers bound, in practice). */
export interface ReadinessIndicator {
  check(key?: string): HealthIndicatorResult | Promise<HealthIndicatorResult>;
}
export const READINESS_INDICATOR = Symbol('ReadinessIndicator');

/**
 * Liveness answers as long as the event loop does: restarting a process because NATS is away
 * would not bring NATS back. Readiness follows the broker connection and the consumers.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_INDICATOR) private readonly readiness: ReadinessIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.readiness.check('nats')]);
  }
}
