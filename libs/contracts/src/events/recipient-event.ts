import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_TRACKED_URL_LENGTH } from '../engagement/tracking-tokens';
import { TENANT_NAME } from '../tenants/tenant';
import { NewsletterEvent } from './event-base';
import { BOUNCE_TYPES, type BounceType } from './feedback-received.event';
import { ROUND_PATTERN } from './newsletter-round.event';

/** What happened to one recipient of a newsletter (see docs/events.md). */
export const RECIPIENT_EVENT_KINDS = ['delivered', 'failed', 'bounced', 'complained', 'opened', 'clicked', 'unsubscribed'] as const;
export type RecipientEventKind = (typeof RECIPIENT_EVENT_KINDS)[number];

/**
 * The recipient-events stream's duplicate window: a publish repeated within it (same msgID, which
 * is the event's `id`) is stored once. The sender re-announces what an earlier delivery of a batch
 * settled only while the stream still recognises it (so a redelivered batch adds no duplicates).
 */
export const RECIPIENT_EVENTS_DUPLICATE_WINDOW_MS = 120_000;

/** `id` of a recipient event: `<kind>:<newsletter id>:<what makes it unique>` (letters, digits, `_:.-`). */
const EVENT_ID = /^[A-Za-z0-9_:.-]{1,256}$/;

/**
 * One fact about one recipient of one newsletter, published on `<ns>.recipient.<kind>.<newsletter
 * id>` (stream `<ns>-recipient-events`) when the deployment has RECIPIENT_EVENTS on, and posted in
 * batches to the newsletter's webhook when it asked for `recipientWebhooks`. Additive like every
 * contract: a consumer ignores fields it does not know. Carries the address as sent: the stream
 * holds personal data until its max age (RECIPIENT_EVENTS_MAX_AGE_HOURS).
 */
export class RecipientEvent extends NewsletterEvent {
  /** Stable and unique: the same fact published again (a retry, a redelivered batch) has the same id; receivers de-duplicate on it. Also the publish's msgID. */
  @Matches(EVENT_ID)
  id!: string;

  @IsIn(RECIPIENT_EVENT_KINDS)
  kind!: RecipientEventKind;

  /** The recipient, as the newsletter was sent to it. */
  @IsString()
  @MaxLength(320)
  email!: string;

  /** The newsletter's tenant, when the publisher knows it (every kind but bounced and complained). */
  @IsOptional()
  @Matches(TENANT_NAME)
  @MaxLength(64)
  tenant?: string;

  /** The batch the recipient was sent in (absent on unsubscribed: the link does not carry it). */
  @IsOptional()
  @IsInt()
  @Min(0)
  batchIndex?: number;

  /** delivered / failed in a re-send round (`r1` for retry-failed, `redrive-<n>` for a re-driven batch); absent on the first pass. */
  @IsOptional()
  @Matches(ROUND_PATTERN)
  round?: string;

  /** delivered / failed: the SMTP reply code (250 when accepted); absent when no server answered. */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  smtpCode?: number;

  /** delivered: the server's reply (`250 2.0.0 Ok: queued as …`); failed: why (the SMTP reply, or `retries exhausted: …`). */
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  smtpResponse?: string;

  /** failed: never retried, not even by a re-send round (a 5xx, or no answer to the end of DATA). */
  @IsOptional()
  @IsBoolean()
  permanent?: boolean;

  /** delivered / failed: the SMTP provider (its configured name) that answered. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  provider?: string;

  /** bounced: hard (the address does not exist) or soft. */
  @IsOptional()
  @IsIn(BOUNCE_TYPES)
  bounceType?: BounceType;

  /** bounced / complained: the enhanced status code of the report (`5.1.1`), or the provider's. */
  @IsOptional()
  @IsString()
  @MaxLength(16)
  status?: string;

  /** bounced / complained: the report's short diagnostic, never the message itself. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  detail?: string;

  /** clicked: the link's original URL. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TRACKED_URL_LENGTH)
  url?: string;

  /** opened: true when a machine (a mail privacy proxy) loaded the pixel, not a reader. */
  @IsOptional()
  @IsBoolean()
  machine?: boolean;
}

/**
 * A recipient event's `id`: `<kind>:<newsletter id>:<unique>`, where `unique` names the fact within
 * the newsletter (a round and an address hash, a report id, a request hash); characters outside
 * `[A-Za-z0-9_.:-]` in it are replaced by `_`, and the whole is cut at 256 characters.
 */
export function recipientEventId(kind: RecipientEventKind, newsletterId: string, unique: string): string {
  return `${kind}:${newsletterId}:${unique.replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 256);
}
