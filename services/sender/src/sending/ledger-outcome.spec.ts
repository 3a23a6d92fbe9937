import { suppressedEntry, toLedgerEntry } from './ledger-outcome';

const now = new Date('2026-11-28T10:00:00.000Z');

describe('toLedgerEntry', () => {
  it('records an accepted message', () => {
    expect(toLedgerEntry('a@x.org', { kind: 'accepted', code: 250, response: '250 OK' }, { previous: undefined, finalAttempt: false, now })).toEqual({
      state: 'accepted', email: 'a@x.org', attempts: 1, code: 250, at: now.toISOString(),
    });
  });

  it('defers a transient failure while attempts remain, counting attempts', () => {
    const first = toLedgerEntry('a@x.org', { kind: 'transient', code: 451, reason: '451 later' }, { previous: undefined, finalAttempt: false, now });
    const second = toLedgerEntry('a@x.org', { kind: 'transient', code: 421, reason: '421 busy' }, { previous: first, finalAttempt: false, now });
    expect(first).toMatchObject({ state: 'deferred', attempts: 1, code: 451 });
    expect(second).toMatchObject({ state: 'deferred', attempts: 2, code: 421, reason: '421 busy' });
  });

  it('fails a transient failure on the final attempt with "retries exhausted" and the last error', () => {
    const entry = toLedgerEntry('a@x.org', { kind: 'transient', code: 451, reason: '451 later' }, { previous: undefined, finalAttempt: true, now });
    expect(entry).toMatchObject({ state: 'failed', permanent: false, reason: 'retries exhausted: 451 later' });
  });

  it('fails a permanent refusal at once', () => {
    const entry = toLedgerEntry('a@x.org', { kind: 'permanent', code: 550, reason: '550 no user', hardBounce: true }, { previous: undefined, finalAttempt: false, now });
    expect(entry).toMatchObject({ state: 'failed', permanent: true, code: 550, reason: '550 no user', attempts: 1 });
  });

  it('marks entries written in a re-send round with the round', () => {
    const entry = toLedgerEntry('a@x.org', { kind: 'accepted', code: 250, response: '250' }, { previous: undefined, finalAttempt: false, round: 'r1', now });
    expect(entry.round).toBe('r1');
    expect(suppressedEntry('a@x.org', { previous: undefined, finalAttempt: false, round: 'r1', now })).toMatchObject({ state: 'suppressed', round: 'r1' });
  });
});
