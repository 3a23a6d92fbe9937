import { Module, type DynamicModule } from '@nestjs/common';
import { JetStreamModule, NatsHealthIndicator, type JetStreamModuleOptions } from '@mailroom/jetstream';
import { ObservabilityModule } from '@mailroom/observability';
import type { CommonConfig } from '@mailroom/config';

export type ServiceName = 'gateway' | 'splitter' | 'sender' | 'tracker' | 'feedback';

/**
 * What every service has, from its common config alone: one NATS connection with the namespace's
 * streams and buckets provisioned (same replicas and boot timeout everywhere), JSON logs,
 * `/metrics`, and health endpoints whose readiness follows NATS. Both modules are global.
 */
@Module({})
export class ServiceModule {
  static forRoot(service: ServiceName, config: CommonConfig & JetStreamModuleOptions['config']): DynamicModule {
    return {
      module: ServiceModule,
      imports: [
        JetStreamModule.forRoot({ service, config }),
        ObservabilityModule.forRoot({ service, logLevel: config.logLevel, readiness: NatsHealthIndicator }),
      ],
    };
  }
}
