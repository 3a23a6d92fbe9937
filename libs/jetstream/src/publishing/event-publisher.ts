import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { eventSubject, type EventPayload, type PublishedEventName, type Topology } from '@mailroom/contracts';
import { retryTransient } from '../resilience/retry-transient';

export interface PublishOptions {
  /** Business key for JetStream de-duplication: a retried publish of the same fact is stored once. */
  readonly msgId: string;
  /** Subject key of keyed events (the newsletter id). */
  readonly key?: string;
}

/**
 * How long a publish keeps retrying through a leader election or a reconnect. Well inside the
 * streams' duplicate window (2 min), so a retry of a publish that was stored after all is still
 * recognised by its msgID and stored once.
 */
const PUBLISH_RETRY_BUDGET_MS = 30_000;

/** Publishes contract events to their namespaced subjects, always with a msgID. */
export class EventPublisher {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
  ) {}

  /**
   * Resolves once the stream has stored the event (or recognised it as a duplicate). The payload
   * must be the event's payload class (EventCatalog), checked at compile time.
   */
  publish<E extends PublishedEventName>(event: E, payload: EventPayload<E>, options: PublishOptions): Promise<PubAck> {
    const subject = eventSubject(this.topology, event, options.key);
    const data = this.encoder.encode(JSON.stringify(payload));
    return retryTransient(() => this.js.publish(subject, data, { msgID: options.msgId }), {
      budgetMs: PUBLISH_RETRY_BUDGET_MS,
      maxDelayMs: 250,
    });
  }
}
