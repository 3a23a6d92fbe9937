/**
 * Every JetStream name Mailroom uses, derived from one namespace so that two deployments (or two
 * test runs) can share a NATS server without seeing each other. Nothing outside this file spells a
 * stream, consumer, bucket or subject name.
 */
const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export interface Topology {
  readonly namespace: string;
  readonly streams: {
    /** Work queue of newsletter requests; consumed by the splitter. */
    readonly requests: string;
    /** Work queue of batches, one subject per newsletter; consumed by every sender replica. */
    readonly batches: string;
    /** Facts about newsletters and batches (limits retention); consumed by the tracker. */
    readonly events: string;
    /** Messages that could not be processed at all, with why; listed and re-driven through the API. */
    readonly deadLetters: string;
    /** JetStream's max-deliveries advisories for our work queues (a message that crashed its consumer every time). */
    readonly advisories: string;
    /** Batches of paused newsletters, set aside until they are resumed (limits retention). */
    readonly parked: string;
    /**
     * Per-recipient events (`recipient.<kind>.<newsletter id>`), for other systems to consume and
     * for the tracker's recipient webhooks (limits retention, max age RECIPIENT_EVENTS_MAX_AGE_HOURS).
     */
    readonly recipientEvents: string;
  };
  readonly consumers: {
    readonly splitter: string;
    readonly sender: string;
    readonly tracker: string;
    readonly deadLetters: string;
    readonly advisories: string;
    readonly webhooks: string;
    /** The feedback service: bounces and complaints become suppressions. */
    readonly feedback: string;
    /** The tracker's recipient webhooks: recipient events posted in batches to the newsletters that asked. */
    readonly recipientWebhooks: string;
  };
  readonly buckets: {
    /** Per-newsletter state, written by the gateway (creation) and the tracker (CAS updates). */
    readonly newsletters: string;
    /** Per-recipient outcome: the record that prevents sending anyone the same newsletter twice. */
    readonly ledger: string;
    /** Final failures per newsletter (`<id>.<address hash>`), for listing and retry-failed. */
    readonly failures: string;
    /** Addresses never to send to again (hard bounces, unsubscribes, complaints), by address hash. */
    readonly suppressions: string;
    /** Soft bounces per address (hash), counted by the feedback service; forgotten 30 days after the last. */
    readonly softBounces: string;
    /** Idempotency-Key → newsletter id, so a repeated request creates nothing. */
    readonly idempotency: string;
    /** Who is sending a batch right now: a redelivered batch is not sent by two senders at once. */
    readonly batchLeases: string;
    /** Shared token buckets (one record per provider), leased in chunks by every sender replica. */
    readonly rateLimits: string;
    /** Webhook deliveries and each of their attempts, per newsletter event. */
    readonly webhooks: string;
    /** Pause/cancel state per newsletter (key = id), followed live by senders and splitters. */
    readonly controls: string;
    /** Newsletters waiting for their `sendAt` (key = id), with the request to publish then. */
    readonly schedules: string;
    /** Subscriber lists (key = list id): name, counts and the ordered parts (imports) of each. Never expire. */
    readonly lists: string;
  };
  readonly objectStores: {
    /** Bodies and recipient lists; events carry object names, never megabytes. */
    readonly content: string;
    /** Subscriber-list parts, one NDJSON object per import. Never expire (unlike `content`). */
    readonly listParts: string;
  };
  /** Prefix of every subject of this namespace (`<ns>.`). */
  readonly subjectPrefix: string;
}

function assertNamespace(namespace: string): void {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(
      `Invalid namespace "${namespace}": use 1-32 characters of a-z, 0-9, "-" or "_", starting with a letter or digit`,
    );
  }
}

export function topology(namespace: string): Topology {
  assertNamespace(namespace);
  const name = (suffix: string) => `${namespace}-${suffix}`;
  return {
    namespace,
    streams: {
      requests: name('requests'),
      batches: name('batches'),
      events: name('events'),
      deadLetters: name('dead-letters'),
      advisories: name('advisories'),
      parked: name('parked'),
      recipientEvents: name('recipient-events'),
    },
    consumers: {
      splitter: name('splitter'),
      sender: name('sender'),
      tracker: name('tracker'),
      deadLetters: name('tracker-dead-letters'),
      advisories: name('tracker-advisories'),
      webhooks: name('tracker-webhooks'),
      feedback: name('feedback'),
      recipientWebhooks: name('tracker-recipient-webhooks'),
    },
    buckets: {
      newsletters: name('newsletters'),
      ledger: name('ledger'),
      failures: name('failures'),
      suppressions: name('suppressions'),
      softBounces: name('soft-bounces'),
      idempotency: name('idempotency'),
      batchLeases: name('batch-leases'),
      rateLimits: name('rate-limits'),
      webhooks: name('webhooks'),
      controls: name('controls'),
      schedules: name('schedules'),
      lists: name('lists'),
    },
    objectStores: { content: name('content'), listParts: name('list-parts') },
    subjectPrefix: `${namespace}.`,
  };
}

/** Object names inside the content store. */
export const ContentObjects = {
  content: (newsletterId: string) => `newsletters/${newsletterId}/content.json`,
  recipients: (newsletterId: string) => `newsletters/${newsletterId}/recipients.ndjson`,
  /**
   * The `newsletter.requested` event as the splitter received it (kept by the splitter): what the
   * watchdog needs to read the same list again (a subscriber list's parts) once the request has
   * left its work queue.
   */
  request: (newsletterId: string) => `newsletters/${newsletterId}/request.json`,
} as const;
