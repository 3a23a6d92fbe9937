import { Injectable } from '@nestjs/common';
import { Events, eventFilter, eventOfSubject, type DeadLetterEvent, type EventName } from '@mailroom/contracts';
import { JetStreamConnection } from '../connection/jetstream-connection';
import { pageStream, type Page } from '../storage/stream-pager';

/** One letter of the dead-letter stream. */
export interface StoredDeadLetter {
  /** Its sequence in the dead-letter stream: how an operator names it. */
  readonly id: number;
  readonly letter: DeadLetterEvent;
  /** The event the original message was, from its subject (undefined: not one of ours). */
  readonly event: EventName | undefined;
  /** The original message body as it was (letters keep a body that is not UTF-8 as base64). */
  readonly body: string;
}

const decoder = new TextDecoder();

/**
 * Reading and re-driving the dead-letter stream (`<ns>-dead-letters`; written by
 * DeadLetterPublisher, one JSON DeadLetterEvent per message that could not be processed).
 */
@Injectable()
export class DeadLetters {
  constructor(private readonly nats: JetStreamConnection) {}

  /** One page in the order letters arrived; `after` is the previous page's `next`. */
  page(after: number, limit: number): Promise<Page<StoredDeadLetter>> {
    const t = this.nats.topology;
    return pageStream(
      this.nats.js,
      { stream: t.streams.deadLetters, filterSubject: eventFilter(t, Events.DeadLettered), after, limit },
      (message) => this.stored(message.seq, message.data),
    );
  }

  /** The letter, or null when there is none with that id (never was, or re-driven since). */
  async get(id: number): Promise<StoredDeadLetter | null> {
    const stored = await this.nats.jsm.streams.getMessage(this.nats.topology.streams.deadLetters, { seq: id }).catch(() => null);
    return stored ? this.stored(id, stored.data) : null;
  }

  /**
   * Publishes `payload` on the letter's original subject (once per letter: its msgID names the
   * original message and the letter), then removes the letter.
   */
  async redrive(dead: StoredDeadLetter, payload: string): Promise<void> {
    const { letter } = dead;
    await this.nats.js.publish(letter.originalSubject, payload, { msgID: `redrive:${letter.originalStream}:${letter.originalSequence}:${dead.id}` });
    await this.nats.jsm.streams.deleteMessage(this.nats.topology.streams.deadLetters, dead.id, false);
  }

  private stored(id: number, data: Uint8Array): StoredDeadLetter {
    const letter = JSON.parse(decoder.decode(data)) as DeadLetterEvent;
    return {
      id,
      letter,
      event: eventOfSubject(this.nats.topology, letter.originalSubject),
      body: letter.encoding === 'utf8' ? letter.payload : Buffer.from(letter.payload, 'base64').toString('latin1'),
    };
  }
}
