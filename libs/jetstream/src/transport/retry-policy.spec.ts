import { InvalidPayloadError, PermanentError, RetryableError } from './handler-errors';
import { TRANSIENT_NATS_DELAY_MS, backoffDelayMs, settleFailure, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxDeliver: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const half = () => 0.5;

describe('settleFailure (what the transport does when a handler throws)', () => {
  it.each([
    ['a permanent error', new PermanentError('bad'), 1, 'term'],
    ['an invalid payload', new InvalidPayloadError('not JSON'), 1, 'term'],
    ['a retryable error', new RetryableError('later'), 1, 'nak'],
    ['an unexpected error (a bug or an outage)', new Error('boom'), 2, 'nak'],
    ['a retryable error on the last delivery', new RetryableError('later'), 5, 'term'],
    ['an unexpected error on the last delivery', new TypeError('x is undefined'), 5, 'term'],
  ])('%s on delivery %i → %s', (_label, error, deliveryCount, kind) => {
    expect(settleFailure(error, deliveryCount, policy, half).kind).toBe(kind);
  });

  it('naks with the delay a RetryableError asks for', () => {
    expect(settleFailure(new RetryableError('x', { delayMs: 1234 }), 1, policy)).toEqual({ kind: 'nak', delayMs: 1234 });
  });

  it('retries soon after a failure of NATS itself (a request timed out during a leader election), whatever the backoff', () => {
    const timeout = Object.assign(new Error('timeout'), { name: 'TimeoutError' });
    expect(settleFailure(timeout, 4, policy, half)).toEqual({ kind: 'nak', delayMs: TRANSIENT_NATS_DELAY_MS });
    expect(settleFailure(new Error('boom'), 4, policy, half)).toEqual({ kind: 'nak', delayMs: backoffDelayMs(policy, 4, half) });
  });

  it('says why a message was terminated', () => {
    expect(settleFailure(new PermanentError('content missing'), 1, policy)).toEqual({
      kind: 'term',
      reason: 'PermanentError: content missing',
    });
    expect(settleFailure(new Error('boom'), 5, policy)).toEqual({ kind: 'term', reason: 'max deliveries (5) reached: boom' });
  });
});

describe('backoffDelayMs', () => {
  it('doubles per delivery up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(policy, n, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(2_000);
    expect(backoffDelayMs(policy, 3, () => 0.999_999)).toBe(4_000);
  });
});
