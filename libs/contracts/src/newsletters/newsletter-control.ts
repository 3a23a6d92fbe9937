import type { NewsletterRequestedEvent } from '../events/newsletter-requested.event';

/**
 * Pause and cancel state of a newsletter (KV bucket `controls`, key = id). Written by the gateway,
 * followed live by every sender (checked before each SMTP transaction) and splitter. Nats-server
 * 2.9 has no consumer pause: batches of a paused newsletter are parked in a stream of their own
 * and put back on resume.
 */
export interface NewsletterControl {
  readonly state: 'active' | 'paused' | 'cancelled';
  /** Grows with every change: a resume for an older generation is stale. */
  readonly generation: number;
  readonly at: string;
}

/** A scheduled newsletter (KV bucket `schedules`, key = id): the request to publish at `sendAt`. */
export interface ScheduleEntry {
  readonly sendAt: string;
  /** The `newsletter.requested` event, as it will be published. */
  readonly request: NewsletterRequestedEvent;
}
