import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_INDICATOR, type ReadinessIndicator } from './health/health.controller';
import { LoggingModule } from './logging/logging.module';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics.registry';

export interface ObservabilityOptions {
  readonly service: string;
  readonly logLevel: string;
  /** Provider class whose `check()` decides readiness. */
  readonly readiness: Type<ReadinessIndicator>;
}

/** JSON logs, `/metrics`, `/health/live` and `/health/ready` for a service. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggingModule.forRoot({ service: options.service, level: options.logLevel }), TerminusModule],
      controllers: [HealthController, MetricsController],
      providers: [MetricsRegistry, { provide: READINESS_INDICATOR, useExisting: options.readiness }],
      exports: [MetricsRegistry],
    };
  }
}
