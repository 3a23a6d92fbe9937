import { Inject, Injectable, Logger } from '@nestjs/common';
import { ContentObjects, type NewsletterContent, type RecipientEvent } from '@mailroom/contracts';
import { ContentStore, RetryableError, backoffDelayMs, type MessageGate } from '@mailroom/jetstream';
import { checkWebhookUrl, guardedLookup } from '@mailroom/net-guard';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { DestinationSlots } from './destination-slots';
import { KeyedBatcher } from './keyed-batcher';
import { postJson } from './post-json';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/** Most events in one POST. */
export const RECIPIENT_WEBHOOK_BATCH_SIZE = 100;
/** How long an event waits for its batch to fill before the batch goes anyway. */
export const RECIPIENT_WEBHOOK_MAX_WAIT_MS = 1_000;
/**
 * Events of one newsletter held at once (waiting for a batch or in one being posted); more are
 * handed back for a second, so that one newsletter's slow receiver cannot take every slot.
 */
export const RECIPIENT_WEBHOOK_MAX_WAITING = 5 * RECIPIENT_WEBHOOK_BATCH_SIZE;
/** Newsletters whose webhook target (or absence of one) is remembered; the oldest looked up is forgotten first. */
const TARGET_CACHE_SIZE = 10_000;

/** The body of one recipient-webhook POST (docs/events.md). */
export interface RecipientWebhookBody {
  readonly type: 'recipient.events';
  readonly newsletterId: string;
  readonly events: readonly RecipientEvent[];
}

interface Pending {
  readonly event: RecipientEvent;
  readonly deliveryCount: number;
}

/**
 * The recipient webhooks: recipient events of newsletters sent with `recipientWebhooks` are
 * grouped per newsletter into batches (up to 100 events or 1 s) and POSTed to the newsletter's
 * `webhookUrl`, signed like every webhook. Each event's message is acknowledged only once its
 * batch got a 2xx, otherwise handed back with backoff until WEBHOOK_RETRY_FOR_MS after it was
 * stored, then dropped (counted `abandoned`). Events of other newsletters are acknowledged at once,
 * before their payload is even read (the consumer's gate, `wants`): whether a newsletter asked is
 * looked up once and remembered.
 */
@Injectable()
export class RecipientWebhooks implements MessageGate {
  private readonly logger = new Logger(RecipientWebhooks.name);
  private readonly events: Counter<'result'>;
  private readonly posts: Counter<'result'>;
  private readonly lookup: LookupFunction;
  private readonly targets = new Map<string, Promise<string | null>>();
  private readonly warnedUnsigned = new Set<string>();
  private readonly slots: DestinationSlots;
  private readonly batcher = new KeyedBatcher<Pending>({
    maxBatch: RECIPIENT_WEBHOOK_BATCH_SIZE,
    maxWaitMs: RECIPIENT_WEBHOOK_MAX_WAIT_MS,
    send: (newsletterId, items) => this.post(newsletterId, items),
  });

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly content: ContentStore,
    metrics: MetricsRegistry,
  ) {
    this.events = metrics.counter({
      name: 'mailroom_recipient_webhook_events_total',
      help: 'Recipient events of newsletters sent with recipientWebhooks, by result: delivered (in a batch answered 2xx), abandoned (no 2xx within WEBHOOK_RETRY_FOR_MS, or the URL is refused), skipped (WEBHOOK_SECRET not set)',
      labelNames: ['result'],
    });
    this.posts = metrics.counter({
      name: 'mailroom_recipient_webhook_posts_total',
      help: 'Recipient-webhook POSTs (batches of up to 100 events) by result: delivered (2xx) or failed (retried with backoff)',
      labelNames: ['result'],
    });
    for (const result of ['delivered', 'abandoned', 'skipped']) this.events.inc({ result }, 0);
    for (const result of ['delivered', 'failed']) this.posts.inc({ result }, 0);
    this.lookup = guardedLookup(config.webhooks);
    this.slots = new DestinationSlots(config.webhooks.maxPerDestination);
  }

  /** Whether the newsletter of a recipient event's subject (`<ns>.recipient.<kind>.<newsletter id>`) asked for recipient webhooks. */
  async wants(subject: string): Promise<boolean> {
    return (await this.targetOf(subject.slice(subject.lastIndexOf('.') + 1))) !== null;
  }

  /**
   * Settles with the event's batch: resolves once posted (or when there is nothing to post), throws
   * a RetryableError to hand the event back. `storedAtMs`: when the stream stored it (the retry
   * window counts from there).
   */
  async accept(event: RecipientEvent, delivery: { readonly storedAtMs: number; readonly deliveryCount: number }): Promise<void> {
    const url = await this.targetOf(event.newsletterId);
    if (url === null) return;
    if (!this.config.webhooks.secret) {
      this.events.inc({ result: 'skipped' });
      this.warnOnce(event.newsletterId);
      return;
    }
    if (Date.now() - delivery.storedAtMs > this.config.webhooks.retryForMs) {
      this.events.inc({ result: 'abandoned' });
      this.logger.warn({ newsletterId: event.newsletterId, kind: event.kind }, `Recipient event abandoned: no 2xx within ${this.config.webhooks.retryForMs} ms`);
      return;
    }
    if (this.batcher.waitingFor(event.newsletterId) >= RECIPIENT_WEBHOOK_MAX_WAITING) {
      throw new RetryableError(`${RECIPIENT_WEBHOOK_MAX_WAITING} recipient events of this newsletter are waiting already`, { delayMs: 1_000 });
    }
    await this.batcher.add(event.newsletterId, { event, deliveryCount: delivery.deliveryCount });
  }

  /** The newsletter's webhookUrl when it asked for recipient webhooks, else null (remembered either way). */
  private targetOf(newsletterId: string): Promise<string | null> {
    const known = this.targets.get(newsletterId);
    if (known) return known;
    const found = this.content.getJson<NewsletterContent>(ContentObjects.content(newsletterId)).then((content) =>
      content?.recipientWebhooks === true && content.webhookUrl ? content.webhookUrl : null,
    );
    this.targets.set(newsletterId, found);
    // A failed lookup (NATS away) is not remembered: the event is handed back and asks again.
    found.catch(() => this.targets.delete(newsletterId));
    if (this.targets.size > TARGET_CACHE_SIZE) this.targets.delete(this.targets.keys().next().value!);
    return found;
  }

  private async post(newsletterId: string, items: readonly Pending[]): Promise<void> {
    const url = (await this.targetOf(newsletterId))!;
    const secret = this.config.webhooks.secret!;
    // Checked again at delivery: the URL was checked when submitted, but DNS may point elsewhere now.
    const verdict = await checkWebhookUrl(url, {
      ...this.config.webhooks,
      resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
    });
    if (!verdict.ok && verdict.kind === 'invalid') {
      this.events.inc({ result: 'abandoned' }, items.length);
      this.logger.warn({ newsletterId, events: items.length, reason: verdict.reason }, 'Recipient events abandoned: webhookUrl refused');
      return;
    }
    const body = JSON.stringify({ type: 'recipient.events', newsletterId, events: items.map((i) => i.event) } satisfies RecipientWebhookBody);
    let status: number | undefined;
    let error: string | undefined;
    const release = await this.slots.acquire(new URL(url).origin);
    try {
      // The connection resolves the host through the guarded lookup: the address it connects to is the one checked.
      status = await postJson(new URL(url), body, {
        timeoutMs: this.config.webhooks.timeoutMs,
        lookup: this.lookup,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Mailroom-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)),
        },
      });
    } catch (cause) {
      error = cause instanceof Error ? `${cause.name}: ${cause.message}` : 'request failed';
    } finally {
      release();
    }
    if (status !== undefined && status >= 200 && status < 300) {
      this.posts.inc({ result: 'delivered' });
      this.events.inc({ result: 'delivered' }, items.length);
      return;
    }
    this.posts.inc({ result: 'failed' });
    // One delay for the whole batch, so that its events come back together (and batch together again).
    const deliveries = Math.max(...items.map((i) => i.deliveryCount));
    const delayMs = backoffDelayMs(this.config.retry.webhooks, deliveries);
    this.logger.warn({ newsletterId, events: items.length, status, error, retryInMs: delayMs }, 'Recipient webhook attempt failed; will retry');
    throw new RetryableError(`Recipient webhook answered ${status ?? error}`, { delayMs });
  }

  private warnOnce(newsletterId: string): void {
    if (this.warnedUnsigned.has(newsletterId)) return;
    if (this.warnedUnsigned.size >= TARGET_CACHE_SIZE) this.warnedUnsigned.clear();
    this.warnedUnsigned.add(newsletterId);
    this.logger.warn({ newsletterId }, 'Recipient webhooks skipped: WEBHOOK_SECRET is not configured (webhooks are never sent unsigned)');
  }
}
