import { DEFAULT_PRIORITY, type Priority, type SendLane } from '@mailroom/contracts';

/**
 * The lane a new newsletter's emails take in the senders (stored as `lane` in its content): `fast`
 * for a test send or a newsletter to exactly one inline recipient (someone is waiting for that
 * one email), whatever its priority; otherwise its `priority`, `normal` when it has none.
 */
export function sendLaneOf(request: {
  readonly test?: boolean;
  readonly recipients?: readonly unknown[];
  readonly priority?: Priority;
}): SendLane {
  if (request.test || request.recipients?.length === 1) return 'fast';
  return request.priority ?? DEFAULT_PRIORITY;
}
