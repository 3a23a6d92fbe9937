import type { SendLane } from './priority';

/** The body of a newsletter as the gateway stores it and the sender reads it. */
export interface NewsletterContent {
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  readonly from: string;
  /**
   * Where to report the newsletter's completion (the webhook notifier reads it). Checked by the
   * gateway at submit time: http(s), no credentials, not an internal address unless configured.
   */
  readonly webhookUrl?: string;
  /**
   * Most emails per second for this newsletter, over all senders (absent: only the providers'
   * limits apply). The sender applies the lower of this and the provider's rate.
   */
  readonly ratePerSecond?: number;
  /** A test send: the suppression list does not apply, and each email says it is a test. */
  readonly test?: boolean;
  /**
   * The lane its emails take in the senders (see SendLane): `fast` for a test send or a newsletter
   * to one inline recipient, otherwise the request's `priority`. Absent (content stored before
   * lanes): `normal`.
   */
  readonly lane?: SendLane;
  /**
   * Post this newsletter's recipient events (delivered, failed, bounced…) to `webhookUrl` in
   * signed batches (the tracker's recipient webhooks; docs/events.md). Absent: no.
   */
  readonly recipientWebhooks?: boolean;
  /** Open and click tracking asked for (absent: neither); see docs/api.md#tracking. */
  readonly tracking?: NewsletterTracking;
  /** The tenant that submitted it (absent before tenants: `tenantOf`); the sender checks its suppression list and the global one. */
  readonly tenant?: string;
  /** The subscriber list it goes to (absent for inline recipients): the sender's List-Id names it. */
  readonly listId?: string;
  /** One bare address for Reply-To (checked like `from` at submit time). */
  readonly replyTo?: string;
  /** Custom `X-` headers for every email, allow-listed at submit time (`checkCustomHeaders`); the sender checks again. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One line of a stored recipient list or subscriber-list part (NDJSON), as submitted. */
export interface SubmittedRecipient {
  readonly email: string;
  readonly name?: string;
  /** Merge fields (a subscriber list's custom columns); see RECIPIENT_VARS_LIMITS. */
  readonly vars?: Readonly<Record<string, string>>;
}

/** What a newsletter tracks: both off unless asked for (the request's `tracking`, or the deployment's default). */
export interface NewsletterTracking {
  /** A 1×1 pixel at the end of the HTML: loading it is an open. */
  readonly opens: boolean;
  /** Every http(s) link of the HTML (not mailto:, not the unsubscribe link) goes through a signed redirect. */
  readonly clicks: boolean;
}
