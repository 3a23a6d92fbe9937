import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { JetStreamModule, NatsHealthIndicator } from '@mailroom/jetstream';
import { ObservabilityModule } from '@mailroom/observability';
import { ApiKeyGuard } from './auth/api-key.guard';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import { ApiErrorFilter } from './http/api-error.filter';
import { createValidationPipe } from './http/validation.pipe';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { FailuresController } from './failures/failures.controller';
import { FailuresService } from './failures/failures.service';
import { IdempotencyKeys } from './idempotency/idempotency-keys';
import { SendNewsletterController } from './legacy/send-newsletter.controller';
import { NewslettersController } from './newsletters/newsletters.controller';
import { NewslettersService } from './newsletters/newsletters.service';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        JetStreamModule.forRoot({
          servers: config.natsUrl,
          namespace: config.namespace,
          name: 'mailroom-gateway',
          replicas: config.streamReplicas,
        }),
        ObservabilityModule.forRoot({ service: 'gateway', logLevel: config.logLevel, readiness: NatsHealthIndicator }),
      ],
      controllers: [NewslettersController, FailuresController, DeadLettersController, SendNewsletterController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ApiKeyGuard,
        NewslettersService,
        FailuresService,
        DeadLettersService,
        IdempotencyKeys,
      ],
    };
  }
}
