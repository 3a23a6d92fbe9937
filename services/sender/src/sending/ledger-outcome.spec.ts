import { suppressedEntry, toLedgerEntry, type AttemptContext } from './ledger-outcome';

const now = new Date('2026-11-28T10:00:00.000Z');
const ctx = (extra: Partial<AttemptContext> = {}): AttemptContext => ({ previous: undefined, maxAttempts: 3, now, ...extra });
const transient = { kind: 'transient' as const, code: 451, reason: '451 later' };

describe('toLedgerEntry', () => {
  it('records an accepted message', () => {
    expect(toLedgerEntry('a@x.org', { kind: 'accepted', code: 250, response: '250 OK' }, ctx())).toEqual({
      state: 'accepted', email: 'a@x.org', attempts: 1, passAttempts: 1, code: 250, at: now.toISOString(),
    });
  });

  it('defers a transient failure while the recipient has attempts left, counting them', () => {
    const first = toLedgerEntry('a@x.org', transient, ctx());
    const second = toLedgerEntry('a@x.org', { kind: 'transient', code: 421, reason: '421 busy' }, ctx({ previous: first }));
    expect(first).toMatchObject({ state: 'deferred', attempts: 1, passAttempts: 1, code: 451 });
    expect(second).toMatchObject({ state: 'deferred', attempts: 2, passAttempts: 2, code: 421, reason: '421 busy' });
  });

  it('fails on the last allowed attempt with "retries exhausted" and the last error', () => {
    const second = { state: 'deferred' as const, email: 'a@x.org', attempts: 2, passAttempts: 2, at: now.toISOString() };
    const entry = toLedgerEntry('a@x.org', transient, ctx({ previous: second }));
    expect(entry).toMatchObject({ state: 'failed', permanent: false, attempts: 3, reason: 'retries exhausted: 451 later' });
  });

  it('fails a permanent refusal at once', () => {
    const entry = toLedgerEntry('a@x.org', { kind: 'permanent', code: 550, reason: '550 no user', hardBounce: true }, ctx());
    expect(entry).toMatchObject({ state: 'failed', permanent: true, code: 550, reason: '550 no user', attempts: 1 });
  });

  it('records the provider that gave the outcome, and none when no provider was tried', () => {
    expect(toLedgerEntry('a@x.org', { kind: 'accepted', code: 250, response: '250 OK' }, ctx({ provider: 'ses' }))).toMatchObject({
      state: 'accepted',
      provider: 'ses',
    });
    expect(toLedgerEntry('a@x.org', transient, ctx())).not.toHaveProperty('provider');
  });

  it('gives a re-send round its own attempts, and marks its entries with the round', () => {
    const exhausted = { state: 'failed' as const, email: 'a@x.org', attempts: 3, passAttempts: 3, permanent: false, at: now.toISOString() };
    const entry = toLedgerEntry('a@x.org', transient, ctx({ previous: exhausted, round: 'r1' }));
    expect(entry).toMatchObject({ state: 'deferred', attempts: 4, passAttempts: 1, round: 'r1' });
    expect(suppressedEntry('a@x.org', ctx({ round: 'r1' }))).toMatchObject({ state: 'suppressed', round: 'r1' });
  });
});
