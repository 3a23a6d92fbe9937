import { Controller, Inject, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Metadata } from '@grpc/grpc-js';
import { map, type Observable } from 'rxjs';
import { realSleep, systemClock } from '@mailroom/rate-limit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { FailuresService } from '../failures/failures.service';
import { assertNewsletterId } from '../http/newsletter-id.pipe';
import { PageQueryDto } from '../http/page-query.dto';
import { CreateNewsletterDto } from '../newsletters/create-newsletter.dto';
import { NewslettersService } from '../newsletters/newsletters.service';
import { GrpcAuthGuard } from './grpc-auth.guard';
import { GrpcCallLogInterceptor } from './grpc-call-log.interceptor';
import { callerOf } from './grpc-caller';
import { GrpcErrorFilter } from './grpc-error.filter';
import { GrpcValidation } from './grpc-validation';
import { NewsletterControlService } from '../control/newsletter-control.service';
import { NewsletterWatches } from '../newsletters/newsletter-watches';
import { watchNewsletter as watchNewsletterStream } from '../newsletters/watch-newsletter';
import { toCreateNewsletterBody, toFailureMessage, toNewsletterMessage } from './newsletter-message.mapper';
import type {
  ListFailuresRequestMessage,
  ListFailuresResponseMessage,
  NewsletterIdMessage,
  NewsletterMessage,
  RetryFailedResponseMessage,
  SendNewsletterRequestMessage,
  SendNewsletterResponseMessage,
} from './newsletters.messages';

const SERVICE = 'Newsletters';
/** A tracker outage shorter than this does not end a watch. */
const WATCH_OUTAGE_GRACE_MS = 10_000;

/**
 * `mailroom.v1.Newsletters` (libs/contracts/proto/mailroom/v1/newsletters.proto): the HTTP API's
 * operations over gRPC, through the same services, validation and errors. Thin on purpose: map
 * the message, call the service, map the answer.
 */
@ApiExcludeController()
@Controller()
@UseGuards(GrpcAuthGuard)
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCallLogInterceptor)
export class NewslettersGrpcController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly newsletters: NewslettersService,
    private readonly failures: FailuresService,
    private readonly validation: GrpcValidation,
    private readonly watches: NewsletterWatches,
    private readonly control: NewsletterControlService,
  ) {}

  @GrpcMethod(SERVICE, 'SendNewsletter')
  async sendNewsletter(request: SendNewsletterRequestMessage, metadata: Metadata): Promise<SendNewsletterResponseMessage> {
    const dto = await this.validation.body(CreateNewsletterDto, toCreateNewsletterBody(request));
    const idempotencyKey = request.idempotencyKey || this.validation.singleMetadata(metadata, 'idempotency-key');
    const { id, replayed, scheduled } = await this.newsletters.create(dto, callerOf(metadata), idempotencyKey);
    return { id, status: scheduled ? 'NEWSLETTER_STATUS_SCHEDULED' : 'NEWSLETTER_STATUS_QUEUED', replayed };
  }

  @GrpcMethod(SERVICE, 'GetNewsletter')
  async getNewsletter(request: NewsletterIdMessage): Promise<NewsletterMessage> {
    return toNewsletterMessage(await this.newsletters.get(assertNewsletterId(request.id)));
  }

  @GrpcMethod(SERVICE, 'ListFailures')
  async listFailures(request: ListFailuresRequestMessage): Promise<ListFailuresResponseMessage> {
    const id = assertNewsletterId(request.id);
    const page = await this.validation.query(PageQueryDto, { limit: request.limit || undefined, after: request.after || undefined });
    const { items, next } = await this.failures.list(id, page.after ?? 0, page.limit ?? 100);
    return { items: items.map(toFailureMessage), ...(next !== null ? { next } : {}) };
  }

  @GrpcMethod(SERVICE, 'RetryFailed')
  async retryFailed(request: NewsletterIdMessage): Promise<RetryFailedResponseMessage> {
    const id = assertNewsletterId(request.id);
    const { round } = await this.failures.retryFailed(id);
    return { id, round, status: 'NEWSLETTER_STATUS_SENDING' };
  }

  @GrpcMethod(SERVICE, 'WatchNewsletter')
  watchNewsletter(request: NewsletterIdMessage): Observable<NewsletterMessage> {
    const id = assertNewsletterId(request.id);
    return this.watches
      .track(() =>
        watchNewsletterStream(id, {
          get: (newsletterId) => this.newsletters.get(newsletterId),
          pollIntervalMs: this.config.watch.pollIntervalMs,
          outageGraceMs: WATCH_OUTAGE_GRACE_MS,
          clock: systemClock,
          sleep: realSleep,
          shutdown: this.watches.shutdownSignal,
        }),
      )
      .pipe(map(toNewsletterMessage));
  }

  @GrpcMethod(SERVICE, 'PauseNewsletter')
  async pauseNewsletter(request: NewsletterIdMessage): Promise<NewsletterMessage> {
    const id = assertNewsletterId(request.id);
    await this.control.pause(id);
    return toNewsletterMessage(await this.newsletters.get(id));
  }

  @GrpcMethod(SERVICE, 'ResumeNewsletter')
  async resumeNewsletter(request: NewsletterIdMessage): Promise<NewsletterMessage> {
    const id = assertNewsletterId(request.id);
    await this.control.resume(id);
    return toNewsletterMessage(await this.newsletters.get(id));
  }

  @GrpcMethod(SERVICE, 'CancelNewsletter')
  async cancelNewsletter(request: NewsletterIdMessage): Promise<NewsletterMessage> {
    const id = assertNewsletterId(request.id);
    await this.control.cancel(id);
    return toNewsletterMessage(await this.newsletters.get(id));
  }
}
