/**
 * JetStream API codes for "the subject's last sequence is not the one you expected": a KV create
 * on a key that exists, an update or delete with a stale revision (10071), and the same check on
 * a subject the server cannot answer for (10164, 2.10+). The one way every store tells a lost
 * compare-and-set from a real failure.
 */
const WRONG_LAST_SEQUENCE_CODES: ReadonlySet<unknown> = new Set([10071, 10164]);

/** True when a KV write lost its compare-and-set (the key exists, or changed since it was read). */
export function isWrongLastSequence(error: unknown): boolean {
  return WRONG_LAST_SEQUENCE_CODES.has((error as { code?: unknown } | null | undefined)?.code);
}
