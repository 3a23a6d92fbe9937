import { Inject, Injectable } from '@nestjs/common';
import type { Stores } from '../provisioning/provision-topology';
import { casUpdate } from '../storage/cas-update';
import { retryWrite } from './retry-write';
import { STORES_TOKEN } from './stores.token';

export interface WebhookAttempt {
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** One webhook event and everything that happened to it. */
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

/**
 * Every attempt of every webhook, so callers and operators can see what happened (KV bucket
 * `<ns>-webhooks`, key `<newsletter id>.<event key>`, value = JSON WebhookDelivery).
 */
@Injectable()
export class WebhookDeliveries {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

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
