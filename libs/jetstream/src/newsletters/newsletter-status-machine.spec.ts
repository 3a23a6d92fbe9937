import { NEWSLETTER_STATUSES, type NewsletterStatus } from '@mailroom/contracts';
import { NEWSLETTER_TRANSITIONS, canTransition, isAllowedMove, type NewsletterTransitionName } from './newsletter-status-machine';

describe('newsletter status machine', () => {
  it.each<[NewsletterStatus, NewsletterStatus, string]>([
    ['scheduled', 'queued', 'the scheduler publishes the request at sendAt'],
    ['scheduled', 'splitting', "the split starts before the scheduler's own change lands"],
    ['scheduled', 'cancelled', 'a scheduled newsletter is cancelled'],
    ['queued', 'splitting', 'the splitter starts'],
    ['queued', 'sending', 'a batch result overtakes the split events'],
    ['queued', 'paused', 'paused before the split started'],
    ['splitting', 'sending', 'the split is counted'],
    ['splitting', 'failed', 'the list is missing'],
    ['splitting', 'completed', 'a split whose every batch was already counted settles at once'],
    ['sending', 'paused', 'paused while sending'],
    ['sending', 'completed', 'every batch counted, nobody failed'],
    ['sending', 'completed_with_failures', 'every batch counted, some failed'],
    ['sending', 'failed', 'every batch counted, nobody reached'],
    ['sending', 'cancelling', 'cancelled while sending: batches in flight still report'],
    ['paused', 'cancelling', 'cancelled while paused: its parked batches are dropped, counted'],
    ['splitting', 'cancelling', 'cancelled while its list is split'],
    ['cancelling', 'cancelled', 'every batch accounted for, or the cancel deadline passed'],
    ['paused', 'queued', 'resumed before its split started'],
    ['paused', 'splitting', 'resumed while its list was being split'],
    ['paused', 'sending', 'resumed while sending'],
    ['paused', 'completed', 'the batches in flight when it was paused were the last ones'],
    ['paused', 'cancelled', 'a paused newsletter is cancelled'],
    ['completed_with_failures', 'sending', 'retry-failed opens a round'],
    ['failed', 'sending', 'retry-failed, or a dead batch re-driven'],
    ['failed', 'queued', 'the dead-lettered request is re-driven'],
    ['sending', 'completed_with_failures', 'a retry request that could not be published closes its round again'],
    ['completed', 'completed', 'a late result changes counts only'],
  ])('allows %s → %s (%s)', (from, to) => {
    expect(isAllowedMove(from, to)).toBe(true);
  });

  it.each<[NewsletterStatus, NewsletterStatus]>([
    // Nothing goes back to scheduled, or back before the split once it started.
    ['queued', 'scheduled'],
    ['paused', 'scheduled'],
    ['splitting', 'queued'],
    ['sending', 'queued'],
    ['sending', 'splitting'],
    // A scheduled newsletter is cancelled, not paused; a settled one is neither.
    ['scheduled', 'paused'],
    ['completed', 'paused'],
    ['cancelled', 'paused'],
    ['completed', 'cancelled'],
    ['failed', 'cancelled'],
    // A final status changes only by reopening (to sending) or re-queueing a newsletter never split.
    ['completed', 'failed'],
    ['failed', 'completed'],
    ['cancelled', 'completed'],
    ['completed', 'splitting'],
    // Only a failed newsletter is queued again (its dead request re-driven): a cancelled one stays cancelled.
    ['cancelled', 'queued'],
    ['completed', 'queued'],
    // A cancel is not taken back, and a cancelling newsletter settles only as cancelled.
    ['cancelling', 'sending'],
    ['cancelling', 'paused'],
    ['cancelling', 'completed'],
    ['cancelling', 'failed'],
    ['cancelled', 'cancelling'],
    ['completed', 'cancelling'],
  ])('refuses %s → %s', (from, to) => {
    expect(isAllowedMove(from, to)).toBe(false);
  });

  it('lets every status stay as it is (counts change, the status does not)', () => {
    for (const status of NEWSLETTER_STATUSES) expect(isAllowedMove(status, status)).toBe(true);
  });

  it.each<[NewsletterTransitionName, NewsletterStatus, boolean]>([
    ['pause', 'sending', true],
    ['pause', 'scheduled', false],
    ['pause', 'paused', false],
    ['resume', 'paused', true],
    ['resume', 'sending', false],
    ['cancel', 'paused', true],
    ['cancel', 'completed', false],
    ['cancel', 'cancelling', false],
    ['settleCancel', 'cancelling', true],
    ['settleCancel', 'sending', false],
    ['pause', 'cancelling', false],
    ['reopenForRedrive', 'cancelling', false],
    ['queue', 'scheduled', true],
    ['queue', 'queued', false],
    ['openRetryRound', 'completed_with_failures', true],
    ['openRetryRound', 'sending', false],
    ['requeue', 'failed', true],
    ['requeue', 'cancelled', false],
  ])('%s from %s: %s', (name, status, expected) => {
    expect(canTransition(name, status)).toBe(expected);
  });

  it('names who makes every transition, and only moves between known statuses', () => {
    for (const [name, transition] of Object.entries(NEWSLETTER_TRANSITIONS)) {
      expect(`${name}: ${transition.by}`).toMatch(/^\w+: (gateway|tracker|splitter)/);
      for (const status of [...transition.from, ...transition.to]) expect(NEWSLETTER_STATUSES).toContain(status);
    }
  });
});
