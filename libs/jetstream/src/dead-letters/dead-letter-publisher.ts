import type { JetStreamClient, JetStreamManager, JsMsg, StoredMsg } from '@nats-io/jetstream';
import {
  Events,
  eventSubject,
  streamRoleOf,
  type DeadLetterEvent,
  type MaxDeliveriesAdvisory,
  type Topology,
} from '@mailroom/contracts';

interface OriginalMessage {
  readonly subject: string;
  readonly stream: string;
  readonly seq: number;
  readonly data: Uint8Array;
  readonly deliveries: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Moves messages that cannot be processed to the dead-letter stream, with the reason, the original
 * subject and sequence and the body. msgID `dl:<stream>:<seq>`, so the transport's own term and a
 * later max-deliveries advisory for the same message store it once.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
  ) {}

  /** Dead-letters a message a handler gave up on (before it is terminated). */
  async fromDelivery(msg: JsMsg, reason: string): Promise<void> {
    await this.publish(
      { subject: msg.subject, stream: msg.info.stream, seq: msg.seq, data: msg.data, deliveries: msg.info.deliveryCount },
      reason,
    );
  }

  /**
   * Dead-letters the message a max-deliveries advisory points at (it crashed its consumer every
   * time, so no handler ever terminated it) and removes it from its work queue, where it would
   * otherwise stay forever. False when the message is already gone.
   */
  async fromAdvisory(advisory: MaxDeliveriesAdvisory): Promise<boolean> {
    let stored: StoredMsg | null;
    try {
      stored = await this.jsm.streams.getMessage(advisory.stream, { seq: advisory.stream_seq });
    } catch {
      stored = null;
    }
    if (!stored) return false;
    await this.publish(
      { subject: stored.subject, stream: advisory.stream, seq: advisory.stream_seq, data: stored.data, deliveries: advisory.deliveries },
      `max deliveries (${advisory.deliveries}) reached by consumer ${advisory.consumer}: the message crashed or stalled every attempt`,
    );
    await this.jsm.streams.deleteMessage(advisory.stream, advisory.stream_seq, false).catch(() => false);
    return true;
  }

  private async publish(original: OriginalMessage, reason: string): Promise<void> {
    const role = streamRoleOf(this.topology, original.stream) ?? 'events';
    let payload: string;
    let encoding: DeadLetterEvent['encoding'] = 'utf8';
    try {
      payload = utf8.decode(original.data);
    } catch {
      payload = Buffer.from(original.data).toString('base64');
      encoding = 'base64';
    }
    const event: DeadLetterEvent = {
      originalSubject: original.subject,
      originalStream: original.stream,
      originalSequence: original.seq,
      deliveries: original.deliveries,
      reason: reason.slice(0, 1_000),
      deadAt: new Date().toISOString(),
      encoding,
      payload,
      ...newsletterIdOf(original.subject, payload, encoding),
    };
    await this.js.publish(eventSubject(this.topology, Events.DeadLettered, role), JSON.stringify(event), {
      msgID: `dl:${original.stream}:${original.seq}`,
    });
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function newsletterIdOf(subject: string, payload: string, encoding: string): { newsletterId?: string } {
  if (encoding === 'utf8') {
    try {
      const body = JSON.parse(payload) as { newsletterId?: unknown };
      if (typeof body.newsletterId === 'string' && UUID.test(body.newsletterId)) return { newsletterId: body.newsletterId };
    } catch {
      // not JSON: fall back to the subject
    }
  }
  const fromSubject = UUID.exec(subject.slice(subject.lastIndexOf('.') + 1));
  return fromSubject ? { newsletterId: fromSubject[0] } : {};
}
