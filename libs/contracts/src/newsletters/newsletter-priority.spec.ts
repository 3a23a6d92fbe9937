import { newNewsletterRecord, toNewsletterView, type NewsletterRecord } from './newsletter-record';

const id = '5d0c6f4e-2b7a-4c1e-9f3d-8a1b2c3d4e5f';
const at = new Date('2026-12-05T12:00:00Z');

describe('priority on the record and the view', () => {
  it.each(['high', 'normal', 'low'] as const)('keeps %s from the request', (priority) => {
    const record = newNewsletterRecord(id, 10, at, { test: false, tenant: 'acme', priority });
    expect(record.priority).toBe(priority);
    expect(toNewsletterView(record, at.getTime()).priority).toBe(priority);
  });

  it('reads a record stored before priorities as normal', () => {
    // As the gateway stored it before `priority` existed (no priority, no tenant).
    const stored = JSON.stringify({
      v: 1,
      id,
      status: 'completed',
      sendAt: null,
      test: false,
      cancelled: 0,
      createdAt: '2026-11-28T10:00:00.000Z',
      updatedAt: '2026-11-28T10:00:05.000Z',
      startedAt: '2026-11-28T10:00:01.000Z',
      completedAt: '2026-11-28T10:00:05.000Z',
      progress: [],
      submitted: 3,
      total: 3,
      duplicates: 0,
      sent: 3,
      failed: 0,
      suppressed: 0,
      batches: { total: 1, completed: 1 },
      countedBatches: 'AQ==',
      deadLetteredBatches: 0,
      rounds: {},
    });
    const old = JSON.parse(stored) as NewsletterRecord;
    expect(old.priority).toBeUndefined();
    expect(toNewsletterView(old)).toMatchObject({ priority: 'normal', test: false, sent: 3 });
  });

  it('leaves it out of a record created without one (read as normal)', () => {
    const record = newNewsletterRecord(id, 10, at);
    expect(record).not.toHaveProperty('priority');
    expect(toNewsletterView(record, at.getTime()).priority).toBe('normal');
  });
});
