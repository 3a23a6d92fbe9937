import type { NatsConnection } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';

/** One attempt waits this long for the consumer leader's confirmation. */
const ATTEMPT_TIMEOUT_MS = 5_000;
/** Pause between attempts: the first soon (an election is over in seconds), then at most this. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2_000;

export type AckOrNak = { readonly kind: 'ack' } | { readonly kind: 'nak'; readonly delayMs: number };

export interface ConfirmOptions {
  /** Give up once this moment (epoch ms) has passed: past it the server may already have handed the message out again. */
  readonly deadline: number;
  /** True once the process is shutting down: no retry after a failed attempt. */
  readonly stopping: () => boolean;
}

/** The outcome: confirmed, or why not (the message then comes back after its ack wait). */
export type ConfirmResult = { readonly confirmed: true; readonly attempts: number } | { readonly confirmed: false; readonly attempts: number; readonly error: Error };

/**
 * Settles a JetStream message and waits for the consumer leader to confirm it, again and again
 * until it does or the deadline passes. An ack or a nak sent while the consumer has no leader (it
 * died and the election is not over: "no responders") is dropped by NATS, and the message would
 * stay unacknowledged for its whole ack wait: a batch that was sent in full would hold its place
 * in the queue (and its newsletter's dispatch window) for a minute after the cluster is whole
 * again. Both are retried after any failed attempt, a timeout included: the request may have gone
 * to the dead server before the others noticed, or out of a connection that was to it (seen in
 * `npm test`: a nak timed out and was never confirmed). A repeated ack is harmless (the server
 * confirms it again). A repeated nak whose first copy did arrive can make the message's next
 * delivery come back once more while its new taker still works on it: that costs a redelivery
 * (the batch lease makes the extra taker wait, the delivery ledger keeps it from sending twice),
 * which is far less than a message lost for its whole ack wait.
 *
 * The caller sets the deadline well inside the message's ack wait: an ack retried after the
 * server handed the message out again would settle the new taker's delivery.
 */
export async function settleConfirmed(connection: NatsConnection, msg: JsMsg, settlement: AckOrNak, options: ConfirmOptions): Promise<ConfirmResult> {
  const payload = settlement.kind === 'ack' ? '+ACK' : `-NAK ${JSON.stringify({ delay: settlement.delayMs * 1_000_000 })}`;
  // The ack subject: JsMsgImpl (what every pull hands out) has it, the JsMsg type does not say so.
  const reply = (msg as JsMsg & { readonly reply?: string }).reply;
  if (!reply) return { confirmed: false, attempts: 0, error: new Error(`Message ${msg.subject} #${msg.seq} has no ack subject`) };
  let pause = FIRST_RETRY_MS;
  for (let attempts = 1; ; attempts += 1) {
    const timeout = Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, options.deadline - Date.now()));
    try {
      await connection.request(reply, payload, { timeout });
      return { confirmed: true, attempts };
    } catch (error) {
      if (options.stopping() || Date.now() + pause >= options.deadline) return { confirmed: false, attempts, error: error as Error };
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(MAX_RETRY_MS, pause * 2);
  }
}
