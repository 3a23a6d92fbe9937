import { addressHash, RecipientEvent, type BatchReadyEvent, type LedgerEntry, type NewsletterContent } from '@mailroom/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { REANNOUNCE_WITHIN_MS, outcomeEvent, shouldReannounce } from './recipient-outcomes';

const newsletterId = '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b';
const batch = { newsletterId, batchIndex: 4, contentObject: 'c', occurredAt: '2026-01-01T00:00:00.000Z', recipients: [{ email: 'ann@example.org' }] } as BatchReadyEvent;
const content = { subject: 's', from: 'a@example.org', tenant: 'acme' } as NewsletterContent;
const at = '2026-01-01T00:00:01.000Z';
const entry = (state: LedgerEntry['state'], extra: Partial<LedgerEntry> = {}): LedgerEntry => ({ state, email: 'ann@example.org', attempts: 1, at, ...extra });

const valid = (event: RecipientEvent) => validateSync(plainToInstance(RecipientEvent, event));

describe('recipient outcome events', () => {
  it('announces an acceptance as delivered, with the reply and the provider, valid by its contract', () => {
    const event = outcomeEvent(batch, content, entry('accepted', { code: 250, provider: 'primary' }), '250 2.0.0 Ok: queued as 42')!;
    expect(event).toEqual({
      id: `delivered:${newsletterId}:first:${addressHash('ann@example.org')}`,
      kind: 'delivered',
      newsletterId,
      occurredAt: at,
      email: 'ann@example.org',
      tenant: 'acme',
      batchIndex: 4,
      smtpCode: 250,
      smtpResponse: '250 2.0.0 Ok: queued as 42',
      provider: 'primary',
    });
    expect(valid(event)).toEqual([]);
  });

  it('announces a final failure as failed, with why and whether it is permanent', () => {
    const event = outcomeEvent({ ...batch, round: 'r1' }, content, entry('failed', { code: 550, reason: '550 5.1.1 no such user', permanent: true, round: 'r1' }))!;
    expect(event).toMatchObject({ kind: 'failed', round: 'r1', smtpCode: 550, smtpResponse: '550 5.1.1 no such user', permanent: true });
    expect(event.id).toBe(`failed:${newsletterId}:r1:${addressHash('ann@example.org')}`);
    expect(valid(event)).toEqual([]);
  });

  it('announces nothing for a recipient still deferred or suppressed', () => {
    expect(outcomeEvent(batch, content, entry('deferred', { code: 451, reason: 'greylisted' }))).toBeUndefined();
    expect(outcomeEvent(batch, content, entry('suppressed'))).toBeUndefined();
  });

  it('gives the same outcome the same id however often it is announced, and the tenant `default` to content from before tenants', () => {
    const again = outcomeEvent(batch, { ...content, tenant: undefined }, entry('accepted', { code: 250 }))!;
    expect(again.id).toBe(outcomeEvent(batch, content, entry('accepted', { code: 250, at: '2026-02-01T00:00:00.000Z' }))!.id);
    expect(again.tenant).toBe('default');
  });

  it.each([
    ['the first delivery', 1, 0, undefined, false],
    ['a redelivery soon after the outcome (a crashed sender)', 2, 60_000, undefined, true],
    ['a redelivery after the duplicate window (deferred recipients retried)', 3, REANNOUNCE_WITHIN_MS, undefined, false],
    ['an outcome of another pass than the batch', 2, 1_000, 'r1', false],
  ])('re-announces settled outcomes on %s: %s', (_label, deliveryCount, ageMs, entryRound, expected) => {
    const settled = entry('accepted', { code: 250, ...(entryRound ? { round: entryRound } : {}) });
    expect(shouldReannounce(settled, batch, deliveryCount, Date.parse(at) + ageMs)).toBe(expected);
  });
});
