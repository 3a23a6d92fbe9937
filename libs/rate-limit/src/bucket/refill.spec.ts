import { hasTokens, msUntilTokens, refill, withdraw } from './refill';

describe('refill', () => {
  const shape = { ratePerSecond: 10, capacity: 5 };

  it.each([
    // [label, tokens, updatedAtMs, nowMs, expected tokens, expected updatedAtMs]
    ['no time, no tokens', 0, 1_000, 1_000, 0, 1_000],
    ['100 ms at 10/s is one token', 0, 1_000, 1_100, 1, 1_100],
    ['fractional refill', 0, 1_000, 1_050, 0.5, 1_050],
    ['caps at capacity after a long idle', 2, 1_000, 60_000, 5, 60_000],
    ['a clock behind the record adds nothing and keeps the later time', 2, 1_000, 900, 2, 1_000],
    ['a stored level above capacity (capacity lowered) is clipped', 9, 1_000, 1_000, 5, 1_000],
    ['a debt (tokens reserved ahead) is paid first', -3, 1_000, 1_100, -2, 1_100],
  ])('%s', (_label, tokens, updatedAtMs, nowMs, expectedTokens, expectedAt) => {
    const level = refill({ tokens, updatedAtMs }, shape, nowMs);
    expect(level.tokens).toBeCloseTo(expectedTokens, 9);
    expect(level.updatedAtMs).toBe(expectedAt);
  });

  it('never mints tokens from clock skew, however often two skewed clocks alternate', () => {
    // Replica A's clock runs 500 ms ahead of B's; both refill the same record in turn.
    let level = { tokens: 0, updatedAtMs: 0 };
    for (let realMs = 0; realMs <= 10_000; realMs += 10) {
      const skewMs = (realMs / 10) % 2 === 0 ? 500 : 0;
      level = refill(level, { ratePerSecond: 100, capacity: 1_000 }, realMs + skewMs);
    }
    // Real time advanced 10 s; the skew may count once (0.5 s), never once per alternation.
    expect(level.tokens).toBeLessThanOrEqual(100 * 10.5 + 1e-6);
  });
});

describe('msUntilTokens', () => {
  it.each([
    // [tokens, count, ratePerSecond, expected ms]
    [1, 1, 10, 0],
    [0, 1, 10, 100],
    [0.7, 1, 10, 30], // 0.3 × 100 ms; float noise must not make it 31
    [0, 1, 3, 334], // 333.3 ms rounds up: 333 ms would be 0.999 tokens
    [0, 5, 50, 100],
    [2.5, 3, 1, 500],
    [0, 1, 0.5, 2_000],
  ])('from %d tokens, %d at %d/s takes %d ms', (tokens, count, ratePerSecond, expected) => {
    const ms = msUntilTokens(tokens, count, ratePerSecond);
    expect(ms).toBe(expected);
    // Waiting that long is always enough.
    expect(hasTokens(tokens + (ms * ratePerSecond) / 1000, count)).toBe(true);
  });
});

describe('withdraw', () => {
  it.each([
    [5, 2, 3],
    [0.9999999999, 1, 0], // float noise after a hasTokens check: no overdraft
    [1, 3, -2], // a reservation: the debt stays
  ])('%d minus %d leaves %d', (tokens, count, left) => {
    expect(withdraw({ tokens, updatedAtMs: 0 }, count).tokens).toBeCloseTo(left, 12);
  });
});
