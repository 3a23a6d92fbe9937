import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { systemClock } from '@mailroom/rate-limit';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { ApiKeyGuard } from './auth/api-key.guard';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import { ApiErrorFilter } from './http/api-error.filter';
import { AuthFailureThrottle } from './http/auth-failure-throttle';
import { createValidationPipe } from './http/validation.pipe';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { FailuresController } from './failures/failures.controller';
import { FailuresService } from './failures/failures.service';
import { GrpcAuthGuard } from './grpc/grpc-auth.guard';
import { GrpcHealthController } from './grpc/grpc-health.controller';
import { GrpcServingState } from './grpc/grpc-serving-state';
import { GrpcValidation } from './grpc/grpc-validation';
import { NewsletterWatches } from './newsletters/newsletter-watches';
import { NewslettersGrpcController } from './grpc/newsletters.grpc-controller';
import { IdempotencyClaims } from './idempotency/idempotency-claims';
import { SendNewsletterController } from './legacy/send-newsletter.controller';
import { NewsletterControlController } from './control/newsletter-control.controller';
import { NewsletterControlService } from './control/newsletter-control.service';
import { NewsletterEventsController } from './newsletters/newsletter-events.controller';
import { NewslettersController } from './newsletters/newsletters.controller';
import { NewslettersService } from './newsletters/newsletters.service';
import { RATE_LIMIT_CLOCK, RequestRateLimiter } from './rate-limit/request-rate-limiter';
import { WebhookUrlPolicy } from './webhooks/webhook-url.policy';
import { LIST_CONTROLLERS, LIST_PROVIDERS } from './lists/lists.providers';
import { ListsGrpcController } from './grpc/lists.grpc-controller';
import { SuppressionAccess } from './suppressions/suppression-access';
import { SuppressionKeyUpgrade } from './suppressions/suppression-key-upgrade';
import { SuppressionsController } from './suppressions/suppressions.controller';
import { SuppressionsService } from './suppressions/suppressions.service';
import { UnsubscribeController } from './unsubscribe/unsubscribe.controller';
import { TrackingController } from './tracking/tracking.controller';
import { EngagementService } from './tracking/engagement.service';
import { UnsubscribeService } from './unsubscribe/unsubscribe.service';
import { TenantMetrics } from './tenants/tenant-metrics';
import { ViewController } from './view/view.controller';
import { ViewService } from './view/view.service';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        NewslettersController,
        ...LIST_CONTROLLERS,
        NewsletterEventsController,
        NewsletterControlController,
        FailuresController,
        DeadLettersController,
        SendNewsletterController,
        SuppressionsController,
        UnsubscribeController,
        TrackingController,
        ViewController,
        NewslettersGrpcController,
        ListsGrpcController,
        GrpcHealthController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: RATE_LIMIT_CLOCK, useValue: systemClock },
        ApiKeyAuthenticator,
        { provide: AuthFailureThrottle, useFactory: () => new AuthFailureThrottle(config.edge.authFailuresPerMinute) },
        RequestRateLimiter,
        ApiKeyGuard,
        GrpcAuthGuard,
        GrpcValidation,
        NewsletterWatches,
        GrpcServingState,
        WebhookUrlPolicy,
        NewslettersService,
        NewsletterControlService,
        FailuresService,
        DeadLettersService,
        IdempotencyClaims,
        ...LIST_PROVIDERS,
        SuppressionAccess,
        SuppressionKeyUpgrade,
        SuppressionsService,
        UnsubscribeService,
        EngagementService,
        ViewService,
        TenantMetrics,
      ],
    };
  }
}
