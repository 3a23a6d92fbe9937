import { Inject, Injectable } from '@nestjs/common';
import { STORES, casUpdate, retryWrite, type Stores } from '@mailroom/jetstream';

export interface WebhookAttempt {
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** One webhook event and everything that happened to it (KV bucket `<ns>-webhooks`). */
export interface WebhookDelivery {
  readonly eventId: string;
  readonly type: string;
  /** Scheme, host and path only: a query string may hold a token. */
  readonly target: string;
  readonly state: 'delivering' | 'delivered' | 'abandoned' | 'skipped';
  readonly firstAttemptAt: string;
  readonly attempts: readonly WebhookAttempt[];
  readonly reason?: string;
}

/** Records every attempt of every webhook, so callers and operators can see what happened. */
@Injectable()
export class WebhookDeliveries {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async get(newsletterId: string, eventKey: string): Promise<WebhookDelivery | null> {
    const entry = await this.stores.webhooks.get(`${newsletterId}.${eventKey}`);
    return entry && entry.operation === 'PUT' ? entry.json<WebhookDelivery>() : null;
  }

  /** Creates the record on the first attempt, appends to it after. */
  async record(newsletterId: string, eventKey: string, initial: WebhookDelivery, change: (d: WebhookDelivery) => WebhookDelivery): Promise<void> {
    const key = `${newsletterId}.${eventKey}`;
    await retryWrite(async () => {
      const result = await casUpdate<WebhookDelivery>(this.stores.webhooks, key, change);
      if (result.kind === 'missing') await this.stores.webhooks.create(key, JSON.stringify(change(initial)));
    });
  }
}
