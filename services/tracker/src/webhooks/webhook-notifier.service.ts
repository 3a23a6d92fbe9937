import { Inject, Injectable, Logger } from '@nestjs/common';
import { ContentObjects, type NewsletterContent } from '@mailroom/contracts';
import { ContentStore, RetryableError, WebhookDeliveries, type WebhookDelivery } from '@mailroom/jetstream';
import { checkWebhookUrl, guardedLookup } from '@mailroom/net-guard';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { TRACKER_CONFIG, type TrackerConfig } from '../config/tracker.config';
import { postJson } from './post-json';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/** What a webhook reports: one event of one newsletter. */
export interface WebhookEvent {
  /** Unique per event; receivers de-duplicate on it (`Mailroom-Event-Id`). */
  readonly id: string;
  /** Stable key of the event within its newsletter, e.g. `completed-0`, `progress-40`. */
  readonly key: string;
  readonly type: 'newsletter.completed' | 'newsletter.progressed';
  readonly newsletterId: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Delivers webhooks: a signed JSON POST to the newsletter's `webhookUrl`, retried with backoff
 * (by the transport: a failure naks the event with a delay) for `WEBHOOK_RETRY_FOR_MS`, every
 * attempt recorded. Runs on its own consumer: a slow or dead receiver never holds up delivery.
 */
@Injectable()
export class WebhookNotifier {
  private readonly logger = new Logger(WebhookNotifier.name);
  private readonly outcomes: Counter<'result'>;
  private readonly lookup: LookupFunction;
  /** POSTs in flight per destination (origin): a slow receiver holds its own share, not every slot. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly content: ContentStore,
    private readonly deliveries: WebhookDeliveries,
    metrics: MetricsRegistry,
  ) {
    this.outcomes = metrics.counter({
      name: 'mailroom_webhook_attempts_total',
      help: 'Webhook POST attempts by result (delivered, failed, abandoned, skipped)',
      labelNames: ['result'],
    });
    for (const result of ['delivered', 'failed', 'abandoned', 'skipped']) this.outcomes.inc({ result }, 0);
    this.lookup = guardedLookup(config.webhooks);
  }

  async notify(event: WebhookEvent): Promise<void> {
    const stored = await this.content.getJson<NewsletterContent>(ContentObjects.content(event.newsletterId));
    const url = stored?.webhookUrl;
    if (!url) return;
    const previous = await this.deliveries.get(event.newsletterId, event.key);
    if (previous && previous.state !== 'delivering') return;
    const now = new Date();
    const initial: WebhookDelivery = {
      eventId: event.id,
      type: event.type,
      target: safeTarget(url),
      state: 'delivering',
      firstAttemptAt: now.toISOString(),
      attempts: [],
    };

    if (!this.config.webhooks.secret) {
      await this.finish(event, initial, 'skipped', 'WEBHOOK_SECRET is not configured: webhooks are not sent unsigned');
      return;
    }
    const firstAttemptAt = Date.parse(previous?.firstAttemptAt ?? initial.firstAttemptAt);
    if (now.getTime() - firstAttemptAt > this.config.webhooks.retryForMs) {
      await this.finish(event, initial, 'abandoned', `no 2xx answer within ${this.config.webhooks.retryForMs} ms`);
      return;
    }
    // Checked again at delivery: the URL was checked when submitted, but DNS may point elsewhere now.
    const verdict = await checkWebhookUrl(url, {
      ...this.config.webhooks,
      resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
    });
    if (!verdict.ok && verdict.kind === 'invalid') {
      await this.finish(event, initial, 'abandoned', `webhookUrl ${verdict.reason}`);
      return;
    }

    const destination = new URL(url).origin;
    const busy = this.inFlight.get(destination) ?? 0;
    if (busy >= this.config.webhooks.maxPerDestination) {
      // Not an attempt: the event goes back (retried with backoff) and the slot serves another destination.
      throw new RetryableError(`${busy} webhooks to this destination are in flight (WEBHOOK_MAX_PER_DESTINATION)`);
    }
    this.inFlight.set(destination, busy + 1);
    try {
      await this.post(event, initial, url, this.config.webhooks.secret);
    } finally {
      const left = (this.inFlight.get(destination) ?? 1) - 1;
      if (left > 0) this.inFlight.set(destination, left);
      else this.inFlight.delete(destination);
    }
  }

  private async post(event: WebhookEvent, initial: WebhookDelivery, url: string, secret: string): Promise<void> {
    const body = JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data });
    const started = Date.now();
    let status: number | undefined;
    let error: string | undefined;
    try {
      // The connection resolves the host through the guarded lookup: the address it connects to is
      // the one that was checked (no DNS rebinding between check and connect).
      status = await postJson(new URL(url), body, {
        timeoutMs: this.config.webhooks.timeoutMs,
        lookup: this.lookup,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Mailroom-Webhooks/1',
          'mailroom-event-id': event.id,
          [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)),
        },
      });
    } catch (cause) {
      error = cause instanceof Error ? `${cause.name}: ${cause.message}` : 'request failed';
    }
    const attempt = { at: new Date(started).toISOString(), durationMs: Date.now() - started, ...(status ? { status } : {}), ...(error ? { error } : {}) };
    const delivered = status !== undefined && status >= 200 && status < 300;
    await this.deliveries.record(event.newsletterId, event.key, initial, (d) => ({
      ...d,
      state: delivered ? 'delivered' : 'delivering',
      attempts: [...d.attempts, attempt],
    }));
    this.outcomes.inc({ result: delivered ? 'delivered' : 'failed' });
    if (!delivered) {
      this.logger.warn({ newsletterId: event.newsletterId, event: event.key, status, error }, 'Webhook attempt failed; will retry');
      throw new RetryableError(`Webhook answered ${status ?? error}`);
    }
  }

  private async finish(event: WebhookEvent, initial: WebhookDelivery, state: 'skipped' | 'abandoned', reason: string): Promise<void> {
    await this.deliveries.record(event.newsletterId, event.key, initial, (d) => ({ ...d, state, reason }));
    this.outcomes.inc({ result: state });
    this.logger.warn({ newsletterId: event.newsletterId, event: event.key, reason }, `Webhook ${state}`);
  }
}

/** The URL as it may be shown: no credentials, no query string (tokens live there). */
function safeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
