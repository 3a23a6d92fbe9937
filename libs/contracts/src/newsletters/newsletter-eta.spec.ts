import { newNewsletterRecord, toNewsletterView, type NewsletterRecord } from './newsletter-record';
import type { NewsletterStatus } from './newsletter-status';

const T0 = 1_800_000_000_000;

/** A newsletter 30 s into sending 100 recipients a second, 3000 of 10,000 done, in the given status. */
function recordIn(status: NewsletterStatus): NewsletterRecord {
  const base = newNewsletterRecord('5d0c6f4e-2b7a-4c1e-9f3d-8a1b2c3d4e5f', 10_000, new Date(T0));
  return { ...base, status, total: 10_000, sent: 3_000, progress: [[T0, 0], [T0 + 10_000, 1_000], [T0 + 20_000, 2_000], [T0 + 30_000, 3_000]] };
}

describe('toNewsletterView: ETA', () => {
  it('estimates the time left while sending', () => {
    const view = toNewsletterView(recordIn('sending'), T0 + 30_000);
    expect(view.ratePerSecond).toBeGreaterThan(0);
    expect(view.etaSeconds).toBeGreaterThan(0);
  });

  it.each<NewsletterStatus>(['paused', 'scheduled', 'cancelled', 'completed'])('is null (rate 0) while %s', (status) => {
    const view = toNewsletterView(recordIn(status), T0 + 30_000);
    expect(view).toMatchObject({ ratePerSecond: 0, etaSeconds: null });
  });
});
