import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ContentObjects,
  Events,
  Queries,
  newNewsletterRecord,
  type NewsletterContent,
  type NewsletterRequestedEvent,
  type NewsletterStatusReply,
  type NewsletterView,
  type SubmittedRecipient,
} from '@mailroom/contracts';
import {
  ContentStore,
  EventPublisher,
  QueryClient,
  QueryUnavailableError,
  STORES,
  type Stores,
} from '@mailroom/jetstream';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ForbiddenError, NotFoundError, ServiceUnavailableError, ValidationFailedError } from '../http/api-errors';
import { IdempotencyKeys, type Claim } from '../idempotency/idempotency-keys';
import { WebhookUrlPolicy } from '../webhooks/webhook-url.policy';
import { parseFromAddress } from './from-address';

export interface NewsletterRequest {
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  readonly from?: string;
  readonly recipients: readonly SubmittedRecipient[];
  readonly batchSize?: number;
  readonly webhookUrl?: string;
  readonly ratePerSecond?: number;
}

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
    @Inject(STORES) private readonly stores: Stores,
    private readonly content: ContentStore,
    private readonly publisher: EventPublisher,
    private readonly queries: QueryClient,
    private readonly idempotency: IdempotencyKeys,
    private readonly webhookUrls: WebhookUrlPolicy,
  ) {}

  /**
   * Queues a newsletter. With an idempotency key, a repeat of the same request returns the first
   * newsletter's id and creates nothing (`replayed: true`).
   */
  async create(
    request: NewsletterRequest,
    caller: string,
    idempotencyKey?: string,
  ): Promise<{ id: string; replayed: boolean }> {
    if (request.recipients.length > this.config.maxInlineRecipients) {
      throw new ValidationFailedError(
        `recipients: at most ${this.config.maxInlineRecipients} recipients per request; larger audiences go through subscriber lists`,
        'recipients',
      );
    }
    const from = parseFromAddress(request.from ?? this.config.defaultFrom);
    if (!from.ok) throw new ValidationFailedError(`from ${from.reason}`, 'from');
    if (!this.config.allowedFrom.allows(from.address)) {
      throw new ForbiddenError(`from: ${from.address} is not an allowed sender address (ALLOWED_FROM)`, 'from');
    }
    const webhookUrl = request.webhookUrl === undefined ? undefined : await this.webhookUrls.assertSafe(request.webhookUrl);

    const id = randomUUID();
    let claim: Claim | undefined;
    if (idempotencyKey !== undefined) {
      claim = await this.idempotency.claim(caller, idempotencyKey, request, id);
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
      ...(webhookUrl !== undefined ? { webhookUrl } : {}),
      ...(request.ratePerSecond !== undefined ? { ratePerSecond: request.ratePerSecond } : {}),
    };
    const event: NewsletterRequestedEvent = {
      newsletterId: id,
      occurredAt: new Date().toISOString(),
      contentObject: ContentObjects.content(id),
      recipientsObject: ContentObjects.recipients(id),
      submittedRecipients: request.recipients.length,
      batchSize: request.batchSize ?? DEFAULT_BATCH_SIZE,
    };
    try {
      await this.content.putJson(event.contentObject, document);
      await this.content.putLines(
        event.recipientsObject,
        request.recipients.map((r) => (r.name ? { email: r.email, name: r.name } : { email: r.email })),
      );
      await this.stores.newsletters.create(id, JSON.stringify(newNewsletterRecord(id, request.recipients.length)));
      await this.publisher.publish(Events.NewsletterRequested, event, { msgId: id });
    } catch (error) {
      await this.discard(id);
      if (claim?.kind === 'new') await claim.release().catch(() => undefined);
      this.logger.error({ newsletterId: id, err: (error as Error).message }, 'Could not enqueue newsletter');
      throw new ServiceUnavailableError('The newsletter could not be queued; nothing was sent. Try again.');
    }
    this.logger.log(
      { newsletterId: id, caller, recipients: request.recipients.length, batchSize: event.batchSize },
      'Newsletter queued',
    );
    return { id, replayed: false };
  }

  async get(id: string): Promise<NewsletterView> {
    let reply: NewsletterStatusReply;
    try {
      reply = await this.queries.ask<NewsletterStatusReply>(Queries.NewsletterStatus, { id });
    } catch (error) {
      if (error instanceof QueryUnavailableError) {
        throw new ServiceUnavailableError('Status is unavailable right now (tracker not answering)');
      }
      throw error;
    }
    if (!reply.found) throw new NotFoundError(`No newsletter with id ${id}`);
    return reply.newsletter;
  }

  /** A replayed request may race the original: answer once the original's record exists. */
  private async waitForRecord(id: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.stores.newsletters.get(id)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Best-effort removal of a half-created newsletter. */
  private async discard(id: string): Promise<void> {
    await Promise.allSettled([
      this.content.delete(ContentObjects.content(id)),
      this.content.delete(ContentObjects.recipients(id)),
      this.stores.newsletters.delete(id),
    ]);
  }
}
