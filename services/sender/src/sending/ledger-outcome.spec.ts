import type { LedgerEntry } from '@mailroom/contracts';
import {
  countsAsAttempt,
  formatHours,
  NO_PROVIDER_AVAILABLE,
  suppressedEntry,
  toLedgerEntry,
  type AttemptContext,
  type AttemptOutcome,
} from './ledger-outcome';

const HOUR = 3_600_000;
const now = new Date('2026-11-28T10:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const ctx = (extra: Partial<AttemptContext> = {}): AttemptContext => ({ previous: undefined, maxAttempts: 3, maxDeferralMs: 24 * HOUR, now, ...extra });

const accepted: AttemptOutcome = { kind: 'accepted', code: 250, response: '250 OK' };
const greylisted: AttemptOutcome = { kind: 'transient', code: 451, reason: '451 4.7.1 greylisted', command: 'RCPT TO' };
const refused: AttemptOutcome = { kind: 'transient', reason: 'ESOCKET: connect ECONNREFUSED', command: 'CONN' };
const throttled: AttemptOutcome = { kind: 'transient', code: 454, reason: '454 Throttling failure', command: 'DATA' };
const closing: AttemptOutcome = { kind: 'transient', code: 421, reason: '421 busy' };
const noUser: AttemptOutcome = { kind: 'permanent', code: 550, reason: '550 no user', hardBounce: true, command: 'RCPT TO' };
const ambiguous: AttemptOutcome = { kind: 'ambiguous', reason: 'no reply to the end of DATA in time (…): the message may have been delivered', command: 'DATA' };

const deferred = (fields: Partial<LedgerEntry> = {}): LedgerEntry => ({
  state: 'deferred',
  email: 'a@x.org',
  attempts: 1,
  passAttempts: 1,
  code: 451,
  reason: '451 earlier',
  at: ago(HOUR),
  deferredSince: ago(2 * HOUR),
  ...fields,
});

describe('countsAsAttempt', () => {
  it.each<[string, AttemptOutcome, boolean]>([
    ['accepted', accepted, true],
    ['a permanent refusal', noUser, true],
    ['an ambiguous DATA timeout', ambiguous, true],
    ['greylisting at RCPT TO (about the recipient)', greylisted, true],
    ['a refused connection (no transaction)', refused, false],
    ['a throttling reply', throttled, false],
    ['421: the provider closing the channel', closing, false],
    ['every breaker open (no transaction)', NO_PROVIDER_AVAILABLE, false],
  ])('%s → %p', (_label, outcome, counts) => {
    expect(countsAsAttempt(outcome)).toBe(counts);
  });
});

describe('toLedgerEntry', () => {
  it.each<[string, AttemptOutcome, Partial<AttemptContext>, Partial<LedgerEntry>]>([
    ['accepted', accepted, {}, { state: 'accepted', attempts: 1, passAttempts: 1, code: 250 }],
    ['a permanent refusal fails at once', noUser, {}, { state: 'failed', permanent: true, code: 550, reason: '550 no user', attempts: 1 }],
    [
      'an ambiguous timeout fails for good, even with attempts and age left',
      ambiguous,
      { previous: deferred() },
      { state: 'failed', permanent: true, reason: ambiguous.reason, attempts: 2, passAttempts: 2 },
    ],
    [
      'a first transient failure defers, from now',
      greylisted,
      {},
      { state: 'deferred', attempts: 1, passAttempts: 1, code: 451, reason: '451 4.7.1 greylisted', deferredSince: now.toISOString() },
    ],
    [
      'a later one keeps the first deferral time',
      greylisted,
      { previous: deferred() },
      { state: 'deferred', attempts: 2, passAttempts: 2, deferredSince: ago(2 * HOUR) },
    ],
    [
      'the last counted attempt: retries exhausted',
      greylisted,
      { previous: deferred({ attempts: 2, passAttempts: 2 }) },
      { state: 'failed', permanent: false, attempts: 3, passAttempts: 3, reason: 'retries exhausted: 451 4.7.1 greylisted' },
    ],
    [
      'a refused connection with no attempts left: still deferred, not counted',
      refused,
      { previous: deferred({ attempts: 2, passAttempts: 2 }) },
      { state: 'deferred', attempts: 3, passAttempts: 2, reason: 'ESOCKET: connect ECONNREFUSED', deferredSince: ago(2 * HOUR) },
    ],
    ['throttling: not counted', throttled, { previous: deferred({ attempts: 2, passAttempts: 2 }) }, { state: 'deferred', attempts: 3, passAttempts: 2 }],
    [
      'every breaker open on the first try: deferred, no attempt',
      NO_PROVIDER_AVAILABLE,
      {},
      { state: 'deferred', attempts: 0, passAttempts: 0, reason: NO_PROVIDER_AVAILABLE.reason, deferredSince: now.toISOString() },
    ],
    [
      'a provider failure past the maximum age fails, with the last error',
      refused,
      { previous: deferred({ deferredSince: ago(25 * HOUR) }) },
      { state: 'failed', permanent: false, attempts: 2, reason: 'deferred for more than 24 h: ESOCKET: connect ECONNREFUSED', deferredSince: ago(25 * HOUR) },
    ],
    [
      'every breaker open past the maximum age fails, with the last SMTP error',
      NO_PROVIDER_AVAILABLE,
      { previous: deferred({ deferredSince: ago(25 * HOUR) }) },
      { state: 'failed', permanent: false, attempts: 1, code: 451, reason: 'deferred for more than 24 h: 451 earlier' },
    ],
    [
      'exactly at the maximum age: fails',
      greylisted,
      { previous: deferred({ deferredSince: ago(24 * HOUR) }) },
      { state: 'failed', reason: 'deferred for more than 24 h: 451 4.7.1 greylisted' },
    ],
    [
      'a decimal maximum age',
      refused,
      { previous: deferred({ deferredSince: ago(HOUR) }), maxDeferralMs: 0.5 * HOUR },
      { state: 'failed', reason: 'deferred for more than 0.5 h: ESOCKET: connect ECONNREFUSED' },
    ],
    [
      'an entry of the old format (no deferredSince) ages from its `at`',
      refused,
      { previous: deferred({ deferredSince: undefined, at: ago(25 * HOUR) }) },
      { state: 'failed', reason: 'deferred for more than 24 h: ESOCKET: connect ECONNREFUSED', deferredSince: ago(25 * HOUR) },
    ],
    [
      'an entry of the old format within the age: its `at` becomes the deferral start',
      refused,
      { previous: deferred({ deferredSince: undefined, at: ago(HOUR) }) },
      { state: 'deferred', deferredSince: ago(HOUR) },
    ],
    [
      'an old entry without passAttempts counted every attempt',
      greylisted,
      { previous: deferred({ passAttempts: undefined, attempts: 2 }) },
      { state: 'failed', reason: 'retries exhausted: 451 4.7.1 greylisted', attempts: 3, passAttempts: 3 },
    ],
    [
      'a re-send round starts its own attempts and its own deferral time',
      refused,
      { previous: { state: 'failed', email: 'a@x.org', attempts: 3, passAttempts: 3, permanent: false, at: ago(48 * HOUR), deferredSince: ago(72 * HOUR) }, round: 'r1' },
      { state: 'deferred', attempts: 4, passAttempts: 0, round: 'r1', deferredSince: now.toISOString() },
    ],
  ])('%s', (_label, outcome, extra, expected) => {
    const entry = toLedgerEntry('a@x.org', outcome, ctx(extra));
    expect(entry).toMatchObject({ email: 'a@x.org', ...expected });
  });

  it('has nothing new to record when no provider is available for a recipient already deferred', () => {
    const previous = deferred();
    expect(toLedgerEntry('a@x.org', NO_PROVIDER_AVAILABLE, ctx({ previous }))).toBe(previous);
  });

  it('keeps no deferral time once a recipient is accepted', () => {
    expect(toLedgerEntry('a@x.org', accepted, ctx({ previous: deferred() }))).not.toHaveProperty('deferredSince');
  });

  it('records the provider that gave the outcome, and none when no provider was tried', () => {
    expect(toLedgerEntry('a@x.org', accepted, ctx({ provider: 'ses' }))).toMatchObject({ state: 'accepted', provider: 'ses' });
    expect(toLedgerEntry('a@x.org', NO_PROVIDER_AVAILABLE, ctx())).not.toHaveProperty('provider');
  });

  it('marks the entries of a re-send round, suppressed ones too', () => {
    expect(suppressedEntry('a@x.org', ctx({ round: 'r1' }))).toMatchObject({ state: 'suppressed', round: 'r1' });
  });
});

describe('formatHours', () => {
  it.each([
    [24 * HOUR, '24 h'],
    [0.5 * HOUR, '0.5 h'],
    [3_600, '0.001 h'],
    [168 * HOUR, '168 h'],
  ])('%p ms → %p', (ms, text) => {
    expect(formatHours(ms)).toBe(text);
  });
});
