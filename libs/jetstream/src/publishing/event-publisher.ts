import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { eventSubject, type EventName, type Topology } from '@mailroom/contracts';

export interface PublishOptions {
  /** Business key for JetStream de-duplication: a retried publish of the same fact is stored once. */
  readonly msgId: string;
  /** Subject key of keyed events (the newsletter id). */
  readonly key?: string;
}

/** Publishes contract events to their namespaced subjects, always with a msgID. */
export class EventPublisher {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
  ) {}

  /** Resolves once the stream has stored the event (or recognised it as a duplicate). */
  publish(event: EventName, payload: object, options: PublishOptions): Promise<PubAck> {
    const subject = eventSubject(this.topology, event, options.key);
    return this.js.publish(subject, this.encoder.encode(JSON.stringify(payload)), { msgID: options.msgId });
  }
}
