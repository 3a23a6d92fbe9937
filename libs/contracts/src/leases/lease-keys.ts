/**
 * Keys of the `batchLeases` bucket. Two kinds share it: one lease per batch being sent, and one
 * lease per role that elects a leader among its replicas. They cannot collide: a batch lease key
 * always starts with a newsletter id (a UUID), a leadership key with `leader.`.
 */

/** `<newsletterId>.<round | first>.<batchIndex>`: held by the sender working on that batch. */
export function batchLeaseKey(newsletterId: string, round: string | undefined, batchIndex: number): string {
  return `${newsletterId}.${round ?? 'first'}.${batchIndex}`;
}

const LEADER_LEASE_PREFIX = 'leader.';

/** `leader.<role>`: held by the replica of `role` that currently leads (e.g. the tracker that runs the watchdog). */
export function leaderLeaseKey(role: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(role)) throw new Error(`Leader role must be lower-case letters, digits and "-", got "${role}"`);
  return `${LEADER_LEASE_PREFIX}${role}`;
}
