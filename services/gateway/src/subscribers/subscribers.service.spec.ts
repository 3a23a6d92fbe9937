import type { SuppressionEntry } from '@mailroom/contracts';
import { spellingsOf } from './subscribers.service';

const entry = (email: string, extra: Partial<SuppressionEntry> = {}): SuppressionEntry => ({ email, reason: 'unsubscribed', at: '2026-01-01T00:00:00.000Z', ...extra });

describe('spellingsOf (the ledger lookups of an export)', () => {
  it('asks for the spelling given, its all-lower-case mailbox key, the lists\' and the suppression entries\' spellings, each once', () => {
    expect(spellingsOf('ANN@example.org', ['Ann@example.org', 'ann@example.org'], [entry('Ann@Example.ORG'), entry('aNN@example.org')])).toEqual([
      'ANN@example.org',
      'ann@example.org',
      'Ann@example.org',
      'aNN@example.org',
    ]);
  });

  it('needs one lookup when every spelling is the same', () => {
    expect(spellingsOf('ann@example.org', ['ann@example.org'], [entry('ann@example.org'), null])).toEqual(['ann@example.org']);
  });

  it('leaves out erased entries (no address) and unreadable ones', () => {
    expect(spellingsOf('ann@example.org', [], [entry('', { erased: true, reason: 'manual' }), entry('not an address')])).toEqual(['ann@example.org']);
  });
});
