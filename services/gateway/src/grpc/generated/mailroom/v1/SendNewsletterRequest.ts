// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Recipient as _mailroom_v1_Recipient, Recipient__Output as _mailroom_v1_Recipient__Output } from '../../mailroom/v1/Recipient';
import type { Tracking as _mailroom_v1_Tracking, Tracking__Output as _mailroom_v1_Tracking__Output } from '../../mailroom/v1/Tracking';

export interface SendNewsletterRequest {
  /**
   * Required; one line (no CR, LF or control characters), at most 998 characters.
   */
  'subject'?: (string);
  /**
   * HTML body. `html`, `text` or both.
   */
  'html'?: (string);
  /**
   * Plain-text body.
   */
  'text'?: (string);
  /**
   * `addr` or `Name <addr>`; must be allowed by the gateway's ALLOWED_FROM (PERMISSION_DENIED
   * otherwise). Empty: the gateway's DEFAULT_FROM.
   */
  'from'?: (string);
  /**
   * 1 to MAX_INLINE_RECIPIENTS recipients (larger audiences go through subscriber lists: see
   * list_id). Exactly one of recipients and list_id (INVALID_ARGUMENT otherwise).
   */
  'recipients'?: (_mailroom_v1_Recipient)[];
  /**
   * Recipients per batch, 1-1000; 0: 100.
   */
  'batchSize'?: (number);
  /**
   * 1-255 visible ASCII characters; also accepted as `idempotency-key` metadata (the field wins).
   */
  'idempotencyKey'?: (string);
  /**
   * Called when the newsletter settles. http(s) only, no credentials; loopback, private,
   * link-local and unique-local targets (also by DNS) are refused unless the gateway allows them.
   */
  'webhookUrl'?: (string);
  /**
   * Most emails per second for this newsletter over all senders (0.1-100000; 0: only the
   * providers' limits apply). The lower of this and the provider's rate applies.
   */
  'ratePerSecond'?: (number | string);
  /**
   * Start at this time (RFC 3339, in the future, within a year) instead of now: the newsletter
   * waits as SCHEDULED and can be cancelled before it starts. Empty: at once.
   */
  'sendAt'?: (string);
  /**
   * Send to this subscriber list (created and filled over HTTP: POST /v1/lists, then
   * POST /v1/lists/{id}/subscribers) instead of `recipients`; the list as it is at submit time.
   * NOT_FOUND for an unknown list, FAILED_PRECONDITION for an empty one.
   */
  'listId'?: (string);
  /**
   * Reply-To of every email: one address, `addr` or `Name <addr>`. Empty: none.
   */
  'replyTo'?: (string);
  /**
   * Custom headers of every email: at most 20, names `X-` then letters, digits and hyphens (not
   * `X-Mailroom-*` nor SMTP-provider instructions such as `X-SMTPAPI`), values one line of at
   * most 1000 characters. INVALID_ARGUMENT naming the header otherwise.
   */
  'headers'?: ({[key: string]: string});
  /**
   * "high", "normal" or "low" (INVALID_ARGUMENT naming `priority` otherwise); empty: "normal".
   * Share of the sending capacity while other newsletters of the same tenant are sent at once:
   * high 4, normal 2, low 1 (weights). Tenants share equally, so a priority only orders the
   * tenant's own newsletters. Test sends and newsletters to one recipient take the fast lane
   * whatever their priority.
   */
  'priority'?: (string);
  /**
   * Open and click tracking (POST /v1/newsletters `tracking`). Absent: the deployment's
   * TRACKING_DEFAULT; given, both flags count as given (false is off).
   */
  'tracking'?: (_mailroom_v1_Tracking | null);
  /**
   * Also post the newsletter's per-recipient events (delivered, failed, bounced, complained,
   * opened, clicked, unsubscribed) to webhook_url, signed, in batches of up to 100. Needs
   * webhook_url and a deployment with RECIPIENT_EVENTS on (INVALID_ARGUMENT naming
   * `recipientWebhooks` otherwise). See docs/events.md.
   */
  'recipientWebhooks'?: (boolean);
}

export interface SendNewsletterRequest__Output {
  /**
   * Required; one line (no CR, LF or control characters), at most 998 characters.
   */
  'subject'?: (string);
  /**
   * HTML body. `html`, `text` or both.
   */
  'html'?: (string);
  /**
   * Plain-text body.
   */
  'text'?: (string);
  /**
   * `addr` or `Name <addr>`; must be allowed by the gateway's ALLOWED_FROM (PERMISSION_DENIED
   * otherwise). Empty: the gateway's DEFAULT_FROM.
   */
  'from'?: (string);
  /**
   * 1 to MAX_INLINE_RECIPIENTS recipients (larger audiences go through subscriber lists: see
   * list_id). Exactly one of recipients and list_id (INVALID_ARGUMENT otherwise).
   */
  'recipients': (_mailroom_v1_Recipient__Output)[];
  /**
   * Recipients per batch, 1-1000; 0: 100.
   */
  'batchSize'?: (number);
  /**
   * 1-255 visible ASCII characters; also accepted as `idempotency-key` metadata (the field wins).
   */
  'idempotencyKey'?: (string);
  /**
   * Called when the newsletter settles. http(s) only, no credentials; loopback, private,
   * link-local and unique-local targets (also by DNS) are refused unless the gateway allows them.
   */
  'webhookUrl'?: (string);
  /**
   * Most emails per second for this newsletter over all senders (0.1-100000; 0: only the
   * providers' limits apply). The lower of this and the provider's rate applies.
   */
  'ratePerSecond'?: (number);
  /**
   * Start at this time (RFC 3339, in the future, within a year) instead of now: the newsletter
   * waits as SCHEDULED and can be cancelled before it starts. Empty: at once.
   */
  'sendAt'?: (string);
  /**
   * Send to this subscriber list (created and filled over HTTP: POST /v1/lists, then
   * POST /v1/lists/{id}/subscribers) instead of `recipients`; the list as it is at submit time.
   * NOT_FOUND for an unknown list, FAILED_PRECONDITION for an empty one.
   */
  'listId'?: (string);
  /**
   * Reply-To of every email: one address, `addr` or `Name <addr>`. Empty: none.
   */
  'replyTo'?: (string);
  /**
   * Custom headers of every email: at most 20, names `X-` then letters, digits and hyphens (not
   * `X-Mailroom-*` nor SMTP-provider instructions such as `X-SMTPAPI`), values one line of at
   * most 1000 characters. INVALID_ARGUMENT naming the header otherwise.
   */
  'headers'?: ({[key: string]: string});
  /**
   * "high", "normal" or "low" (INVALID_ARGUMENT naming `priority` otherwise); empty: "normal".
   * Share of the sending capacity while other newsletters of the same tenant are sent at once:
   * high 4, normal 2, low 1 (weights). Tenants share equally, so a priority only orders the
   * tenant's own newsletters. Test sends and newsletters to one recipient take the fast lane
   * whatever their priority.
   */
  'priority'?: (string);
  /**
   * Open and click tracking (POST /v1/newsletters `tracking`). Absent: the deployment's
   * TRACKING_DEFAULT; given, both flags count as given (false is off).
   */
  'tracking'?: (_mailroom_v1_Tracking__Output);
  /**
   * Also post the newsletter's per-recipient events (delivered, failed, bounced, complained,
   * opened, clicked, unsubscribed) to webhook_url, signed, in batches of up to 100. Needs
   * webhook_url and a deployment with RECIPIENT_EVENTS on (INVALID_ARGUMENT naming
   * `recipientWebhooks` otherwise). See docs/events.md.
   */
  'recipientWebhooks'?: (boolean);
}
