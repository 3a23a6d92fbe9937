import { TokenBucket } from '@mailroom/rate-limit';
import { ManualClock } from '@mailroom/testing';
import { boundedWait, deadline, tokenWaitLimitMs } from './bounded-wait';
import { TokenWaitTimeoutError } from './rate-limit-wait.errors';

describe('tokenWaitLimitMs', () => {
  it.each([
    [60_000, 50, 60_000],
    [60_000, Number.POSITIVE_INFINITY, 60_000],
    [1_000, 0.1, 30_000], // a token every 10 s: allow three of them
    [60_000, 0.01, 300_000],
  ])('ack wait %p ms at %p/s → %p ms', (ackWaitMs, rate, expected) => {
    expect(tokenWaitLimitMs(ackWaitMs, rate)).toBe(expected);
  });
});

describe('deadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('aborts with TokenWaitTimeoutError after the limit', () => {
    const bound = deadline(new AbortController().signal, 500);
    jest.advanceTimersByTime(499);
    expect(bound.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(bound.signal.reason).toBeInstanceOf(TokenWaitTimeoutError);
  });

  it('passes the parent reason on (shutdown)', () => {
    const parent = new AbortController();
    const bound = deadline(parent.signal, 10_000);
    parent.abort(new Error('stopping'));
    expect((bound.signal.reason as Error).message).toBe('stopping');
  });

  it('is aborted at once when the parent already is', () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    expect(deadline(parent.signal, 10_000).signal.aborted).toBe(true);
  });

  it('clears its timer when disposed', () => {
    const bound = deadline(new AbortController().signal, 500);
    bound.dispose();
    jest.advanceTimersByTime(1_000);
    expect(bound.signal.aborted).toBe(false);
  });
});

describe('boundedWait on a real bucket', () => {
  it('ends a token wait that would take too long, and reports how long a granted one took', async () => {
    const clock = new ManualClock(0);
    // 1 token per 10 s, empty: the next token is 10 s away on the manual clock, which never moves.
    const bucket = new TokenBucket({ ratePerSecond: 0.1, burst: 1, initialTokens: 0, clock, sleep: (ms, signal) => realSleepNever(ms, signal) });
    const parent = new AbortController();
    await expect(boundedWait(parent.signal, 20, (signal) => bucket.take(1, { signal }))).rejects.toBeInstanceOf(TokenWaitTimeoutError);
    clock.advance(10_000);
    const granted = await boundedWait(parent.signal, 20, (signal) => bucket.take(1, { signal }));
    expect(granted.waitedSeconds).toBeGreaterThanOrEqual(0);
  });
});

/** A sleep that only ends by abort: the manual clock decides when tokens exist. */
function realSleepNever(_ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
}
