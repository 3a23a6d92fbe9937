import { toLedgerEntry } from './ledger-outcome';

const now = new Date('2026-11-28T10:00:00.000Z');

describe('toLedgerEntry', () => {
  it('records an accepted message', () => {
    expect(toLedgerEntry('a@x.org', { kind: 'accepted', code: 250, response: '250 OK' }, undefined, false, now)).toEqual({
      state: 'accepted', email: 'a@x.org', attempts: 1, code: 250, at: now.toISOString(),
    });
  });

  it('defers a transient failure while attempts remain, counting attempts', () => {
    const first = toLedgerEntry('a@x.org', { kind: 'transient', code: 451, reason: '451 later' }, undefined, false, now);
    const second = toLedgerEntry('a@x.org', { kind: 'transient', code: 421, reason: '421 busy' }, first, false, now);
    expect(first).toMatchObject({ state: 'deferred', attempts: 1, code: 451 });
    expect(second).toMatchObject({ state: 'deferred', attempts: 2, code: 421, reason: '421 busy' });
  });

  it('fails a transient failure on the final attempt with "retries exhausted" and the last error', () => {
    const entry = toLedgerEntry('a@x.org', { kind: 'transient', code: 451, reason: '451 later' }, undefined, true, now);
    expect(entry).toMatchObject({ state: 'failed', permanent: false, reason: 'retries exhausted: 451 later' });
  });

  it('fails a permanent refusal at once', () => {
    const entry = toLedgerEntry('a@x.org', { kind: 'permanent', code: 550, reason: '550 no user', hardBounce: true }, undefined, false, now);
    expect(entry).toMatchObject({ state: 'failed', permanent: true, code: 550, reason: '550 no user', attempts: 1 });
  });
});
