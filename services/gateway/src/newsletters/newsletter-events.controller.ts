import { Controller, Inject, Param, Req, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { isFinal } from '@mailroom/contracts';
import { realSleep, systemClock } from '@mailroom/rate-limit';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import { NewsletterIdPipe } from '../http/newsletter-id.pipe';
import { NewsletterWatches } from './newsletter-watches';
import { NewslettersService } from './newsletters.service';
import { watchNewsletter } from './watch-newsletter';

/** A tracker outage shorter than this does not end the stream. */
const OUTAGE_GRACE_MS = 10_000;

/**
 * `GET /v1/newsletters/:id/events`: progress as server-sent events until the newsletter settles.
 * One `progress` event with the state now, one on every change, and a last `settled` event; then
 * the stream ends. It also ends after WATCH_MAX_AGE_MS (reconnect to go on watching); a key may
 * hold WATCH_MAX_PER_KEY streams (gRPC watches included) on one gateway. (curl -N -H "Authorization: Bearer …" …/events)
 */
@ApiTags('newsletters')
@ApiBearerAuth()
@Controller('v1/newsletters')
@UseGuards(ApiKeyGuard)
export class NewsletterEventsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly newsletters: NewslettersService,
    private readonly watches: NewsletterWatches,
  ) {}

  @Sse(':id/events')
  @ApiOperation({ summary: 'Stream progress as server-sent events until the newsletter settles' })
  @ApiOkResponse({
    description:
      'text/event-stream: `event: progress` with the newsletter (as GET /v1/newsletters/{id}) now and on every change, ' +
      'then `event: settled` with its final state; the stream then ends.',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'event: progress\ndata: {"id":"…","status":"sending","sent":120}\n\n' } } },
  })
  @ApiErrorResponses(400, 401, 403, 404, 429, 503)
  @RequiresScope('read')
  async events(
    @Param('id', NewsletterIdPipe) id: string,
    @AuthCaller() caller: Caller,
    @Req() request: AuthenticatedRequest,
  ): Promise<Observable<MessageEvent>> {
    // Unknown ids (and other tenants' newsletters) get a plain 404 before the stream starts.
    await this.newsletters.get(id, caller);
    // Quiet between changes by design: the stream is bounded by WATCH_MAX_AGE_MS, not HTTP_IDLE_TIMEOUT_MS.
    request.socket.setTimeout(0);
    return this.watches
      .track(() =>
        watchNewsletter(id, {
          get: (newsletterId) => this.newsletters.get(newsletterId, caller),
          pollIntervalMs: this.config.watch.pollIntervalMs,
          outageGraceMs: OUTAGE_GRACE_MS,
          clock: systemClock,
          sleep: realSleep,
          shutdown: this.watches.shutdownSignal,
        }),
        caller.keyName,
      )
      .pipe(map((view) => ({ type: isFinal(view.status) ? 'settled' : 'progress', data: view })));
  }
}
