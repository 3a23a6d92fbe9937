import type { BounceType, FeedbackSource } from '@mailroom/contracts';

/**
 * One event of a provider's webhook, once its signature checked out: what happened to which
 * address. `searchText` is where the signed token may be found (the original Message-ID the
 * provider echoes, e.g. SendGrid's `smtp-id`, Mailgun's `message.headers.message-id`), usually the
 * event's whole JSON. Events that are not bounces or complaints (delivered, opened …) are `other`.
 */
export interface ProviderEvent {
  readonly source: Exclude<FeedbackSource, 'smtp'>;
  /** The provider's id of the event: the msgID of what we publish, so a retried webhook counts once. */
  readonly eventId: string;
  readonly email: string;
  readonly kind: 'bounce' | 'complaint' | 'other';
  readonly bounceType?: BounceType;
  readonly status?: string;
  readonly detail?: string;
  readonly searchText: string;
}

/** A webhook request that failed verification: answered 401, nothing recorded. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** A verified request whose body is not what the provider sends: 400. */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
}

export const ENHANCED_STATUS = /\b[245]\.\d{1,3}\.\d{1,3}\b/;

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('The body is not JSON');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
