import { JetStreamApiError } from '@nats-io/jetstream';

/**
 * JetStream API error codes that mean "not now" rather than "no": the cluster is electing a
 * leader, a replica set cannot be placed yet (nodes still joining), or the stream/consumer is
 * being moved. Seen on a 3-node cluster when nine processes provision at once.
 */
const TRANSIENT_API_CODES = new Set([
  10004, // incomplete results (a peer did not answer in time)
  10005, // no suitable peers for placement (peers still joining)
  10007, // JetStream cluster not assigned to this server
  10008, // JetStream system temporarily unavailable (meta group without a leader)
  10009, // JetStream cluster can not handle request (not the leader)
  10023, // insufficient resources (a peer not up yet)
  10040, // peer not a member of the group (yet)
]);

const TRANSIENT_MESSAGES = /timeout|no responders|temporarily unavailable|leader|not current|offline|insufficient resources|no suitable peers|disconnect|reconnect/i;

/**
 * True for failures that a later retry of the same request can get past: request timeouts (a
 * request sent to a leader that just died waits for the full timeout), no responders (the
 * JetStream API not up yet), leader elections and placement during cluster start. A closed or
 * draining connection is not transient: the process is shutting down.
 */
export function isTransientNatsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ClosedConnectionError' || error.name === 'DrainingConnectionError') return false;
  if (error.name === 'TimeoutError' || error.name === 'NoResponders' || error.name === 'ConnectionError') return true;
  if (error instanceof JetStreamApiError) {
    if (TRANSIENT_API_CODES.has(error.code) || error.status === 503 || error.status === 408) return true;
  }
  if (error.name === 'RequestError' && error.cause instanceof Error) return isTransientNatsError(error.cause);
  // What the client makes of "no responders" on a stream's or consumer's API subject: during a
  // leader election nobody answers there (2.9.10 on a cluster), which it reports as "jetstream is
  // not enabled" with the no-responders error as cause. Without that cause it means what it says.
  if (error.name === 'JetStreamNotEnabled') return error.cause instanceof Error && isTransientNatsError(error.cause);
  return TRANSIENT_MESSAGES.test(error.message);
}
