import { Controller, Inject, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Metadata } from '@grpc/grpc-js';
import { map, type Observable } from 'rxjs';
import { realSleep, systemClock } from '@mailroom/rate-limit';
import { RequiresScope } from '../auth/caller';
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
import type { Complete } from './complete-message';
import { grpcRpcOf } from './grpc-rpc.decorator';
import type { CancelNewsletterRequest__Output } from './generated/mailroom/v1/CancelNewsletterRequest';
import type { GetNewsletterRequest__Output } from './generated/mailroom/v1/GetNewsletterRequest';
import type { ListFailuresRequest__Output } from './generated/mailroom/v1/ListFailuresRequest';
import type { ListFailuresResponse } from './generated/mailroom/v1/ListFailuresResponse';
import type { Newsletter } from './generated/mailroom/v1/Newsletter';
import type { NewslettersDefinition } from './generated/mailroom/v1/Newsletters';
import type { PauseNewsletterRequest__Output } from './generated/mailroom/v1/PauseNewsletterRequest';
import type { ResumeNewsletterRequest__Output } from './generated/mailroom/v1/ResumeNewsletterRequest';
import type { RetryFailedRequest__Output } from './generated/mailroom/v1/RetryFailedRequest';
import type { RetryFailedResponse } from './generated/mailroom/v1/RetryFailedResponse';
import type { SendNewsletterRequest__Output } from './generated/mailroom/v1/SendNewsletterRequest';
import type { SendNewsletterResponse } from './generated/mailroom/v1/SendNewsletterResponse';
import type { WatchNewsletterRequest__Output } from './generated/mailroom/v1/WatchNewsletterRequest';

const Rpc = grpcRpcOf<NewslettersDefinition>('Newsletters');
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

  @Rpc('SendNewsletter')
  @RequiresScope('send')
  async sendNewsletter(request: SendNewsletterRequest__Output, metadata: Metadata): Promise<Complete<SendNewsletterResponse>> {
    const dto = await this.validation.body(CreateNewsletterDto, toCreateNewsletterBody(request));
    const idempotencyKey = request.idempotencyKey || this.validation.singleMetadata(metadata, 'idempotency-key');
    const { id, replayed, scheduled } = await this.newsletters.create(dto, callerOf(metadata), idempotencyKey);
    return { id, status: scheduled ? 'NEWSLETTER_STATUS_SCHEDULED' : 'NEWSLETTER_STATUS_QUEUED', replayed };
  }

  @Rpc('GetNewsletter')
  @RequiresScope('read')
  async getNewsletter(request: GetNewsletterRequest__Output, metadata: Metadata): Promise<Complete<Newsletter>> {
    return toNewsletterMessage(await this.newsletters.get(assertNewsletterId(request.id), callerOf(metadata)));
  }

  @Rpc('ListFailures')
  @RequiresScope('read')
  async listFailures(request: ListFailuresRequest__Output, metadata: Metadata): Promise<Complete<ListFailuresResponse>> {
    const id = assertNewsletterId(request.id);
    const page = await this.validation.query(PageQueryDto, { limit: request.limit || undefined, after: request.after || undefined });
    const { items, next } = await this.failures.list(id, callerOf(metadata), page.after ?? 0, page.limit ?? 100);
    return { items: items.map(toFailureMessage), ...(next !== null ? { next } : {}) };
  }

  @Rpc('RetryFailed')
  @RequiresScope('send')
  async retryFailed(request: RetryFailedRequest__Output, metadata: Metadata): Promise<Complete<RetryFailedResponse>> {
    const id = assertNewsletterId(request.id);
    const { round } = await this.failures.retryFailed(id, callerOf(metadata));
    return { id, round, status: 'NEWSLETTER_STATUS_SENDING' };
  }

  @Rpc('WatchNewsletter')
  @RequiresScope('read')
  watchNewsletter(request: WatchNewsletterRequest__Output, metadata: Metadata): Observable<Complete<Newsletter>> {
    const id = assertNewsletterId(request.id);
    const caller = callerOf(metadata);
    return this.watches
      .track(() =>
        watchNewsletterStream(id, {
          get: (newsletterId) => this.newsletters.get(newsletterId, caller),
          pollIntervalMs: this.config.watch.pollIntervalMs,
          outageGraceMs: WATCH_OUTAGE_GRACE_MS,
          clock: systemClock,
          sleep: realSleep,
          shutdown: this.watches.shutdownSignal,
        }),
        caller.keyName,
      )
      .pipe(map(toNewsletterMessage));
  }

  @Rpc('PauseNewsletter')
  @RequiresScope('send')
  async pauseNewsletter(request: PauseNewsletterRequest__Output, metadata: Metadata): Promise<Complete<Newsletter>> {
    const id = assertNewsletterId(request.id);
    const caller = callerOf(metadata);
    await this.control.pause(id, caller);
    return toNewsletterMessage(await this.newsletters.get(id, caller));
  }

  @Rpc('ResumeNewsletter')
  @RequiresScope('send')
  async resumeNewsletter(request: ResumeNewsletterRequest__Output, metadata: Metadata): Promise<Complete<Newsletter>> {
    const id = assertNewsletterId(request.id);
    const caller = callerOf(metadata);
    await this.control.resume(id, caller);
    return toNewsletterMessage(await this.newsletters.get(id, caller));
  }

  @Rpc('CancelNewsletter')
  @RequiresScope('send')
  async cancelNewsletter(request: CancelNewsletterRequest__Output, metadata: Metadata): Promise<Complete<Newsletter>> {
    const id = assertNewsletterId(request.id);
    const caller = callerOf(metadata);
    await this.control.cancel(id, caller);
    return toNewsletterMessage(await this.newsletters.get(id, caller));
  }
}
