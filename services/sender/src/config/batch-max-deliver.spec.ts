import { backoffDelayMs } from '@mailroom/jetstream';
import { BATCH_HAND_BACK_SLACK, batchMaxDeliver, type BatchMaxDeliverInput } from './batch-max-deliver';

const HOUR = 3_600_000;

/**
 * Deliveries a batch can get while one recipient stays deferred for the whole maximum age, with
 * every redelivery as early as the jittered backoff allows (the lower end of each delay), plus the
 * one that finds the age passed and settles it.
 */
function deliveriesWithinMaxAge(input: BatchMaxDeliverInput): number {
  const policy = { maxDeliver: Number.MAX_SAFE_INTEGER, baseDelayMs: input.retryBaseDelayMs, maxDelayMs: input.retryMaxDelayMs };
  let elapsedMs = 0;
  let deliveries = 1;
  while (elapsedMs < input.maxDeferralMs) {
    elapsedMs += backoffDelayMs(policy, deliveries, () => 0);
    deliveries += 1;
  }
  return deliveries;
}

describe('batchMaxDeliver', () => {
  it.each<[string, BatchMaxDeliverInput]>([
    ['defaults: 24 h, 10 s to 600 s', { maxAttempts: 5, maxDeferralMs: 24 * HOUR, retryBaseDelayMs: 10_000, retryMaxDelayMs: 600_000 }],
    ['a week', { maxAttempts: 5, maxDeferralMs: 168 * HOUR, retryBaseDelayMs: 10_000, retryMaxDelayMs: 600_000 }],
    ['half an hour, short backoff', { maxAttempts: 3, maxDeferralMs: 0.5 * HOUR, retryBaseDelayMs: 1_000, retryMaxDelayMs: 30_000 }],
    ['base above the cap', { maxAttempts: 5, maxDeferralMs: 24 * HOUR, retryBaseDelayMs: 900_000, retryMaxDelayMs: 600_000 }],
    ['tests: 0.001 h, 100 ms to 300 ms', { maxAttempts: 2, maxDeferralMs: 3_600, retryBaseDelayMs: 100, retryMaxDelayMs: 300 }],
  ])('%s: room for every delivery before the maximum age, and the hand-backs', (_label, input) => {
    expect(batchMaxDeliver(input)).toBeGreaterThanOrEqual(deliveriesWithinMaxAge(input) + BATCH_HAND_BACK_SLACK);
  });

  it('stays near that need: a backstop, not unlimited', () => {
    const input = { maxAttempts: 5, maxDeferralMs: 24 * HOUR, retryBaseDelayMs: 10_000, retryMaxDelayMs: 600_000 };
    expect(batchMaxDeliver(input)).toBeLessThanOrEqual(deliveriesWithinMaxAge(input) + BATCH_HAND_BACK_SLACK + input.maxAttempts + 2);
  });

  it('is finite with a zero backoff', () => {
    expect(Number.isFinite(batchMaxDeliver({ maxAttempts: 5, maxDeferralMs: HOUR, retryBaseDelayMs: 0, retryMaxDelayMs: 0 }))).toBe(true);
  });
});
