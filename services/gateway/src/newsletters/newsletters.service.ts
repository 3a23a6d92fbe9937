import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ContentObjects,
  DEFAULT_PRIORITY,
  Events,
  Queries,
  type NewsletterContent,
  type NewsletterTracking,
  type NewsletterRequestedEvent,
  type NewsletterStatusReply,
  type NewsletterView,
  type Priority,
  type SubmittedRecipient,
  normalizeAddress,
  tenantOf,
} from '@mailroom/contracts';
import { ContentStore, EventPublisher, NewsletterRecords, QueryClient, QueryUnavailableError, Schedules } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ConflictError, ForbiddenError, NotFoundError, ServiceUnavailableError, ValidationFailedError } from '../http/api-errors';
import { IdempotencyClaims, type Claim } from '../idempotency/idempotency-claims';
import { ListsService, type ListSnapshot } from '../lists/lists.service';
import { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import { SuppressionAccess } from '../suppressions/suppression-access';
import { TenantMetrics } from '../tenants/tenant-metrics';
import type { SkippedRecipientDto, TestAcceptedDto } from './newsletter-responses';
import { WebhookUrlPolicy } from '../webhooks/webhook-url.policy';
import { parseFromAddress } from './from-address';
import { checkSendAt } from './send-at';
import { sendLaneOf } from './send-lane';

export interface NewsletterRequest {
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  readonly from?: string;
  /** Inline recipients; exactly one of `recipients` and `listId` (the DTO checks it). */
  readonly recipients?: readonly SubmittedRecipient[];
  /** A subscriber list to send to: its parts as they are at submit time. */
  readonly listId?: string;
  readonly batchSize?: number;
  readonly webhookUrl?: string;
  readonly ratePerSecond?: number;
  /** Start at this time (ISO 8601, in the future): the newsletter waits as `scheduled`. */
  readonly sendAt?: string;
  /** A test send (POST /v1/newsletters/test): no list, no suppression list, marked in the mail. */
  readonly test?: boolean;
  /** Reply-To of every email: one address, checked like `from`. */
  readonly replyTo?: string;
  /** Custom X- headers of every email (the DTO checks them with `checkCustomHeaders`). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Its share of the tenant's sending capacity (absent: `normal`). A test send or a newsletter to
   * one inline recipient takes the fast lane whatever this says (`sendLaneOf`).
   */
  readonly priority?: Priority;
  /** Open and click tracking; each flag absent: the deployment's TRACKING_DEFAULT. */
  readonly tracking?: Partial<NewsletterTracking>;
  /** Post the newsletter's recipient events to `webhookUrl` in signed batches (needs RECIPIENT_EVENTS on). */
  readonly recipientWebhooks?: boolean;
}

/** The view's engagement counts, absent from a tracker older than them. */
type EngagementCount = 'opens' | 'clicks' | 'clicksTotal' | 'machineOpens' | 'unsubscribes' | 'links';

/** How far ahead a newsletter may be scheduled. */

const DEFAULT_BATCH_SIZE = 100;

/**
 * Accepting a newsletter: store the body and the list, create its record, publish the request.
 * Either all three happen or the request fails and what was written is removed.
 */
@Injectable()
export class NewslettersService {
  private readonly logger = new Logger(NewslettersService.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly records: NewsletterRecords,
    private readonly schedules: Schedules,
    private readonly content: ContentStore,
    private readonly publisher: EventPublisher,
    private readonly queries: QueryClient,
    private readonly idempotency: IdempotencyClaims,
    private readonly webhookUrls: WebhookUrlPolicy,
    private readonly lists: ListsService,
    private readonly suppressions: SuppressionAccess,
    private readonly rateLimiter: RequestRateLimiter,
    private readonly metrics: TenantMetrics,
  ) {}

  /**
   * A test send: its own small rate limit per tenant, then the recipients on the tenant's or the
   * global suppression list are left out (and named in the answer); 409 when nobody is left.
   */
  async test(request: Omit<NewsletterRequest, 'test' | 'listId'> & { readonly recipients: readonly SubmittedRecipient[] }, caller: Caller): Promise<TestAcceptedDto> {
    this.rateLimiter.consumeTestSend(caller.tenant);
    const kept: SubmittedRecipient[] = [];
    const skipped: SkippedRecipientDto[] = [];
    for (const recipient of request.recipients) {
      const address = normalizeAddress(recipient.email);
      // An invalid address is the splitter's to report, as for any newsletter.
      const list = address.ok ? await this.suppressions.suppressing(address.email, caller.tenant) : null;
      if (list && address.ok) skipped.push({ email: address.email, list: list.kind });
      else kept.push(recipient);
    }
    for (const list of ['tenant', 'global'] as const) this.metrics.testRecipientsSkipped(caller.tenant, list, skipped.filter((s) => s.list === list).length);
    if (kept.length === 0) {
      throw new ConflictError(
        `recipients: every recipient is suppressed, nothing was sent (${skipped.map((s) => `${s.email} on the ${s.list} list`).join(', ')})`,
        'recipients',
      );
    }
    const { id } = await this.create({ ...request, recipients: kept, test: true }, caller);
    if (skipped.length > 0) this.logger.log({ newsletterId: id, caller: caller.keyName, skipped: skipped.length }, 'Test send: suppressed recipients skipped');
    return { id, status: 'queued', skipped };
  }

  /**
   * Queues a newsletter. With an idempotency key, a repeat of the same request returns the first
   * newsletter's id and creates nothing (`replayed: true`).
   */
  async create(
    request: NewsletterRequest,
    caller: Caller,
    idempotencyKey?: string,
  ): Promise<{ id: string; replayed: boolean; scheduled?: boolean }> {
    const recipients = request.recipients ?? [];
    if (recipients.length > this.config.maxInlineRecipients) {
      throw new ValidationFailedError(
        `recipients: at most ${this.config.maxInlineRecipients} recipients per request; larger audiences go through subscriber lists (import them with POST /v1/lists/{id}/subscribers, then send with listId)`,
        'recipients',
      );
    }
    const from = parseFromAddress(request.from ?? this.config.defaultFrom);
    if (!from.ok) throw new ValidationFailedError(`from ${from.reason}`, 'from');
    if (!this.config.allowedFrom.allows(from.address)) {
      throw new ForbiddenError(`from: ${from.address} is not an allowed sender address (ALLOWED_FROM)`, 'from');
    }
    if (request.recipientWebhooks === true) this.checkRecipientWebhooks(request);
    const replyTo = request.replyTo === undefined ? undefined : parseFromAddress(request.replyTo);
    if (replyTo && !replyTo.ok) throw new ValidationFailedError(`replyTo ${replyTo.reason}`, 'replyTo');
    const webhookUrl = request.webhookUrl === undefined ? undefined : await this.webhookUrls.assertSafe(request.webhookUrl);
    const sendAt = request.sendAt === undefined ? undefined : checkSendAt(request.sendAt);

    const id = randomUUID();
    // Before any idempotency claim: an unknown (404) or empty (409) list must leave nothing behind.
    // The list remembers the newsletter, so it is not deleted or changed under it before it settles.
    const list: ListSnapshot | undefined = request.listId === undefined ? undefined : await this.lists.snapshot(request.listId.toLowerCase(), caller, id);
    const submitted = list ? list.subscribers : recipients.length;

    let claim: Claim | undefined;
    if (idempotencyKey !== undefined) {
      claim = await this.idempotency.claim(caller.keyName, idempotencyKey, request, id);
      if (claim.kind === 'replay') {
        await this.waitForRecord(claim.id);
        return { id: claim.id, replayed: true };
      }
    }
    const document: NewsletterContent = {
      subject: request.subject,
      from: from.value,
      ...(request.html !== undefined ? { html: request.html } : {}),
      ...(request.text !== undefined ? { text: request.text } : {}),
      ...(replyTo?.ok ? { replyTo: replyTo.value } : {}),
      ...(request.headers !== undefined && Object.keys(request.headers).length > 0 ? { headers: request.headers } : {}),
      ...(webhookUrl !== undefined ? { webhookUrl } : {}),
      ...(request.ratePerSecond !== undefined ? { ratePerSecond: request.ratePerSecond } : {}),
      ...(request.test ? { test: true } : {}),
      // The senders serve the fast lane first, then share by priority (always written for new newsletters).
      lane: sendLaneOf(request),
      ...trackingOf(request.tracking, this.config.tracking.defaults),
      ...(request.recipientWebhooks === true ? { recipientWebhooks: true } : {}),
      tenant: caller.tenant,
      // The sender names the list in each email's List-Id.
      ...(list ? { listId: list.listId } : {}),
    };
    const event: NewsletterRequestedEvent = {
      newsletterId: id,
      occurredAt: new Date().toISOString(),
      contentObject: ContentObjects.content(id),
      ...(list ? { listParts: list.parts, listId: list.listId } : { recipientsObject: ContentObjects.recipients(id) }),
      submittedRecipients: submitted,
      batchSize: request.batchSize ?? DEFAULT_BATCH_SIZE,
      ...(request.test ? { test: true } : {}),
      tenant: caller.tenant,
    };
    try {
      await this.content.putJson(event.contentObject, document);
      if (event.recipientsObject !== undefined) {
        await this.content.putLines(
          event.recipientsObject,
          recipients.map((r) => ({ email: r.email, ...(r.name ? { name: r.name } : {}), ...(r.vars ? { vars: r.vars } : {}) })),
        );
      }
      await this.records.create(id, submitted, {
        ...(sendAt ? { sendAt } : {}),
        test: request.test === true,
        tenant: caller.tenant,
        priority: request.priority ?? DEFAULT_PRIORITY,
      });
      // Scheduled: the splitter's scheduler publishes the request at sendAt (the schedule survives restarts).
      if (sendAt) await this.schedules.put(id, { sendAt, request: event });
      else await this.publisher.publish(Events.NewsletterRequested, event, { msgId: id });
    } catch (error) {
      await this.discard(id);
      if (claim?.kind === 'new') await claim.release().catch(() => undefined);
      this.logger.error({ newsletterId: id, err: (error as Error).message }, 'Could not enqueue newsletter');
      throw new ServiceUnavailableError('The newsletter could not be queued; nothing was sent. Try again.');
    }
    this.logger.log(
      { newsletterId: id, caller: caller.keyName, tenant: caller.tenant, recipients: submitted, ...(list ? { listId: list.listId, listParts: list.parts.length } : {}), batchSize: event.batchSize },
      'Newsletter queued',
    );
    this.metrics.newsletterAccepted(caller.tenant, request.test ? 'test' : 'newsletter');
    return { id, replayed: false, ...(sendAt ? { scheduled: true } : {}) };
  }

  /** The newsletter's view; 404 when it does not exist or belongs to another tenant than the caller's. */
  async get(id: string, caller: Caller): Promise<NewsletterView> {
    let reply: NewsletterStatusReply;
    try {
      reply = await this.queries.ask(Queries.NewsletterStatus, { id });
    } catch (error) {
      if (error instanceof QueryUnavailableError) {
        throw new ServiceUnavailableError('Status is unavailable right now (tracker not answering)');
      }
      throw error;
    }
    if (!reply.found || tenantOf(reply) !== caller.tenant) throw new NotFoundError(`No newsletter with id ${id}`);
    // A tracker older than priorities or engagement counts answers without them (a rolling
    // upgrade): the defaults, as for an old record.
    const view: Omit<NewsletterView, 'priority' | EngagementCount> & { readonly priority?: Priority } & Partial<Pick<NewsletterView, EngagementCount>> =
      reply.newsletter;
    return {
      ...view,
      priority: view.priority ?? DEFAULT_PRIORITY,
      opens: view.opens ?? 0,
      clicks: view.clicks ?? 0,
      clicksTotal: view.clicksTotal ?? 0,
      machineOpens: view.machineOpens ?? 0,
      unsubscribes: view.unsubscribes ?? 0,
      links: view.links ?? [],
    };
  }

  /** `recipientWebhooks` needs somewhere to post to, and recipient events to post. */
  private checkRecipientWebhooks(request: NewsletterRequest): void {
    if (request.webhookUrl === undefined) {
      throw new ValidationFailedError('recipientWebhooks: needs a webhookUrl to post the recipient events to', 'recipientWebhooks');
    }
    if (!this.config.recipientEvents.enabled) {
      throw new ValidationFailedError('recipientWebhooks: this deployment publishes no recipient events (RECIPIENT_EVENTS is off)', 'recipientWebhooks');
    }
  }

  /** A replayed request may race the original: answer once the original's record exists. */
  private async waitForRecord(id: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.records.get(id)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Best-effort removal of a half-created newsletter. */
  private async discard(id: string): Promise<void> {
    await Promise.allSettled([
      this.content.delete(ContentObjects.content(id)),
      this.content.delete(ContentObjects.recipients(id)),
      this.records.remove(id),
      this.schedules.remove(id),
    ]);
  }
}

/** The content's `tracking`: the request's flags over the deployment's defaults; nothing when neither is on. */
function trackingOf(asked: Partial<NewsletterTracking> | undefined, defaults: NewsletterTracking): { tracking?: NewsletterTracking } {
  const tracking = { opens: asked?.opens ?? defaults.opens, clicks: asked?.clicks ?? defaults.clicks };
  return tracking.opens || tracking.clicks ? { tracking } : {};
}
