import type { LedgerEntry } from '@mailroom/contracts';
import { needsAttempt, summarize } from './batch-result';

const at = '2026-11-28T10:00:00.000Z';
const entry = (state: LedgerEntry['state'], extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  state, email: `${state}@x.org`, attempts: 1, at, ...extra,
});

describe('needsAttempt', () => {
  it.each([
    ['never tried', undefined, undefined, true],
    ['deferred', entry('deferred'), undefined, true],
    ['accepted', entry('accepted'), undefined, false],
    ['suppressed', entry('suppressed'), undefined, false],
    ['failed transiently, first pass', entry('failed', { permanent: false }), undefined, false],
    ['failed transiently, in a round', entry('failed', { permanent: false }), 'r1', true],
    ['failed permanently, in a round', entry('failed', { permanent: true }), 'r1', false],
    ['accepted, in a round', entry('accepted'), 'r1', false],
  ])('%s → %s', (_label, e, round, expected) => {
    expect(needsAttempt(e, round)).toBe(expected);
  });
});

describe('summarize', () => {
  it('counts every recipient on the first pass', () => {
    const result = summarize(
      [entry('accepted'), entry('accepted'), entry('suppressed'), entry('failed', { code: 550, reason: 'no', permanent: true })],
      undefined,
    );
    expect(result).toMatchObject({ sent: 2, suppressed: 1, failed: 1 });
    expect(result.failures).toEqual([{ email: 'failed@x.org', code: 550, reason: 'no', permanent: true, attempts: 1 }]);
  });

  it('counts only what the round itself settled in a round', () => {
    const result = summarize(
      [entry('accepted', { round: 'r1' }), entry('accepted'), entry('failed', { permanent: false, round: 'r1' })],
      'r1',
    );
    expect(result).toMatchObject({ sent: 1, suppressed: 0, failed: 1 });
  });
});
