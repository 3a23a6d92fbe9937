import { RECIPIENT_EVENT_NAMES, type RecipientEvent } from '@mailroom/contracts';
import type { EventPublisher } from './event-publisher';

/**
 * Publishes per-recipient events (`recipient.<kind>.<newsletter id>`) when the deployment has
 * RECIPIENT_EVENTS on, and does nothing (no publish, no allocation beyond the caller's) when it is
 * off. The event's `id` is the msgID: a repeated publish within the stream's duplicate window is
 * stored once, and a later one carries the same id for consumers to de-duplicate.
 */
export class RecipientEventPublisher {
  constructor(
    private readonly publisher: EventPublisher,
    /** RECIPIENT_EVENTS. */
    readonly enabled: boolean,
  ) {}

  /** Resolves once stored (or recognised as a duplicate); undefined at once when the switch is off. */
  publish(event: RecipientEvent): Promise<unknown> | undefined {
    if (!this.enabled) return undefined;
    return this.publisher.publish(RECIPIENT_EVENT_NAMES[event.kind], event, { msgId: event.id, key: event.newsletterId });
  }
}
