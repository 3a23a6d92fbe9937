import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `after` for the next page; null on the last page. */
  readonly next: number | null;
}

export interface PageRequest {
  readonly stream: string;
  readonly filterSubject: string;
  /** Return messages after this stream sequence (0: from the start). */
  readonly after: number;
  readonly limit: number;
}

export interface PagedMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: { get(key: string): string };
}

/**
 * One page of a stream's messages on a subject filter, from a sequence on: an ordered consumer that
 * starts where the last page ended, so page N costs what page 1 costs.
 */
export async function pageStream<T>(
  js: JetStreamClient,
  request: PageRequest,
  map: (message: PagedMessage) => T | undefined,
): Promise<Page<T>> {
  const consumer = await js.consumers.get(request.stream, {
    filter_subjects: request.filterSubject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: request.after + 1,
  });
  const items: T[] = [];
  let last = request.after;
  let pending = 0;
  try {
    while (items.length < request.limit) {
      const msg = await consumer.next({ expires: 1_000 });
      if (!msg) {
        pending = 0;
        break;
      }
      last = msg.seq;
      pending = msg.info.pending;
      const item = map({ seq: msg.seq, subject: msg.subject, data: msg.data, headers: msg.headers });
      if (item !== undefined) items.push(item);
      if (pending === 0) break;
    }
  } finally {
    await consumer.delete().catch(() => false);
  }
  return { items, next: pending > 0 ? last : null };
}
