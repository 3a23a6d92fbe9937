import { LINK_COUNT_LIMITS, newNewsletterRecord, openRound, pausedForMs, toNewsletterView, type BatchCompletedEvent, type NewsletterRecord } from '@mailroom/contracts';
import { foldBatchCompleted, foldBatchProgressed, foldCancel, foldPause, foldResume, foldEngagement, foldFeedback, foldCancelDeadline, foldRoundStarted, foldSplit, foldSplitFailed, foldSplitStarted, foldUnsubscribe } from './newsletter-fold';

const id = '0b7d5c8e-3f0a-4d8e-9a51-0f2b6d1c9e77';
const at = '2026-11-28T10:00:00.000Z';

const split = (overrides: Partial<Parameters<typeof foldSplit>[1]> = {}) => ({
  newsletterId: id,
  occurredAt: at,
  total: 250,
  batches: 3,
  duplicates: 5,
  invalid: 0,
  suppressed: 0,
  invalidSample: [],
  ...overrides,
});

const result = (batchIndex: number, sent: number, failed = 0, extra: Partial<BatchCompletedEvent> = {}): BatchCompletedEvent => ({
  newsletterId: id,
  occurredAt: at,
  batchIndex,
  sent,
  failed,
  suppressed: 0,
  failures: [],
  ...extra,
});

function apply(record: NewsletterRecord, ...steps: Array<(r: NewsletterRecord) => NewsletterRecord | null>) {
  return steps.reduce((r, step) => step(r) ?? r, record);
}

describe('newsletter fold', () => {
  const queued = newNewsletterRecord(id, 255, new Date(at));

  it('counts bounces and complaints after the newsletter settled, leaving its status, counts and completedAt as they were', () => {
    const completed = apply(queued, (r) => foldSplitStarted(r, at), (r) => foldSplit(r, split({ total: 2, batches: 1, duplicates: 0 })), (r) => foldBatchCompleted(r, result(0, 2)));
    expect(completed.status).toBe('completed');
    const later = '2026-11-29T08:00:00.000Z';
    const after = apply(completed, (r) => foldFeedback(r, 'bounce', later), (r) => foldFeedback(r, 'complaint', later));
    expect(toNewsletterView(after)).toMatchObject({ status: 'completed', sent: 2, bounced: 1, complained: 1, completedAt: completed.completedAt });
    // A record written before these counts existed reads as zero.
    const { bounced: _b, complained: _c, ...old } = completed;
    expect(toNewsletterView(old as NewsletterRecord)).toMatchObject({ bounced: 0, complained: 0 });
  });

  describe('engagement', () => {
    const completed = apply(queued, (r) => foldSplitStarted(r, at), (r) => foldSplit(r, split({ total: 3, batches: 1, duplicates: 0 })), (r) => foldBatchCompleted(r, result(0, 3)));
    const counts = (r: NewsletterRecord) => {
      const { opens, clicks, clicksTotal, machineOpens } = toNewsletterView(r);
      return { opens, clicks, clicksTotal, machineOpens };
    };

    it('counts a recipient’s first open, and not a repeated one', () => {
      const opened = foldEngagement(completed, { kind: 'open', first: true })!;
      expect(counts(opened)).toEqual({ opens: 1, clicks: 0, clicksTotal: 0, machineOpens: 0 });
      expect(foldEngagement(opened, { kind: 'open', first: false })).toBeNull();
    });

    it('counts a machine open apart: in machineOpens, never in opens', () => {
      const machine = foldEngagement(completed, { kind: 'machineOpen', first: true })!;
      expect(counts(machine)).toEqual({ opens: 0, clicks: 0, clicksTotal: 0, machineOpens: 1 });
      expect(foldEngagement(machine, { kind: 'machineOpen', first: false })).toBeNull();
      // The same recipient reading it later is a first open of its own.
      expect(counts(foldEngagement(machine, { kind: 'open', first: true })!)).toEqual({ opens: 1, clicks: 0, clicksTotal: 0, machineOpens: 1 });
    });

    it('counts every click in clicksTotal, a recipient’s first also in clicks', () => {
      const clicked = apply(
        completed,
        (r) => foldEngagement(r, { kind: 'click', first: true }),
        (r) => foldEngagement(r, { kind: 'click', first: false }),
        (r) => foldEngagement(r, { kind: 'click', first: false }),
        (r) => foldEngagement(r, { kind: 'click', first: true }),
      );
      expect(counts(clicked)).toEqual({ opens: 0, clicks: 2, clicksTotal: 4, machineOpens: 0 });
    });

    it('leaves status, settled counts, updatedAt and progress as they were (an open does not make a stalled newsletter look alive)', () => {
      const sending = apply(queued, (r) => foldSplitStarted(r, at), (r) => foldSplit(r, split()));
      const opened = apply(sending, (r) => foldEngagement(r, { kind: 'open', first: true }), (r) => foldEngagement(r, { kind: 'click', first: true }));
      const { opens: _o, clicks: _c, clicksTotal: _t, ...rest } = opened;
      expect(rest).toEqual(sending);
      const after = foldEngagement(completed, { kind: 'click', first: true })!;
      expect(toNewsletterView(after)).toMatchObject({ status: 'completed', sent: 3, completedAt: completed.completedAt });
    });

    it('reads a record from before engagement counts as zero', () => {
      expect(counts(completed)).toEqual({ opens: 0, clicks: 0, clicksTotal: 0, machineOpens: 0 });
      expect('opens' in completed).toBe(false);
      expect(toNewsletterView(completed)).toMatchObject({ unsubscribes: 0, links: [] });
      expect(['unsubscribes', 'links', 'otherLinks'].filter((key) => key in completed)).toEqual([]);
    });

    const click = (url: string, first: boolean, firstOnLink: boolean) => (r: NewsletterRecord) => foldEngagement(r, { kind: 'click', first, link: { url, first: firstOnLink } });

    it('counts clicks per link: every click, and the recipients once per link; most clicked first', () => {
      const clicked = apply(
        completed,
        click('https://example.com/a', true, true),
        click('https://example.com/b', false, true),
        click('https://example.com/b', false, false),
        click('https://example.com/b', true, true),
      );
      expect(toNewsletterView(clicked).links).toEqual([
        { url: 'https://example.com/b', clicks: 3, recipients: 2 },
        { url: 'https://example.com/a', clicks: 1, recipients: 1 },
      ]);
      expect(counts(clicked)).toEqual({ opens: 0, clicks: 2, clicksTotal: 4, machineOpens: 0 });
      // Stored in the order of their first click.
      expect(clicked.links?.map((l) => l.url)).toEqual(['https://example.com/a', 'https://example.com/b']);
    });

    it('counts the first 50 distinct URLs one by one and adds up the rest under one entry (url null), which comes last', () => {
      const urls = Array.from({ length: LINK_COUNT_LIMITS.links + 10 }, (_, i) => `https://example.com/p/${i}`);
      let r = completed;
      for (const url of urls) r = apply(r, click(url, false, true));
      // Known links go on being counted in their own entry; new ones in the rest.
      r = apply(r, click(urls[0]!, false, false), click(urls[0]!, false, false), click(urls[55]!, false, false));
      const links = toNewsletterView(r).links;
      expect(links).toHaveLength(LINK_COUNT_LIMITS.links + 1);
      expect(links[0]).toEqual({ url: urls[0], clicks: 3, recipients: 1 });
      expect(links.at(-1)).toEqual({ url: null, clicks: 11, recipients: 10 });
      expect(r.links).toHaveLength(LINK_COUNT_LIMITS.links);
      expect(r.clicksTotal).toBe(63);
    });

    it('keeps the URLs it counts one by one within their character budget: a long URL past it goes to the rest, a short one still fits', () => {
      const long = (n: number) => `https://example.com/${String(n).padEnd(7_000, 'x')}`;
      const r = apply(completed, click(long(1), true, true), click(long(2), false, true), click(long(3), false, true), click('https://example.com/short', false, true));
      expect(r.links?.map((l) => l.url)).toEqual([long(1), long(2), 'https://example.com/short']);
      expect(r.otherLinks).toEqual({ clicks: 1, recipients: 1 });
      expect(r.links!.reduce((sum, l) => sum + l.url.length, 0)).toBeLessThanOrEqual(LINK_COUNT_LIMITS.urlCharacters);
      // The long URL that did not fit never gets an entry later.
      expect(apply(r, click(long(3), false, false)).otherLinks).toEqual({ clicks: 2, recipients: 1 });
    });

    it('counts an unsubscribe, also after the newsletter settled, leaving status, counts and updatedAt as they were', () => {
      const once = foldUnsubscribe(completed);
      const twice = foldUnsubscribe(once);
      expect(toNewsletterView(twice)).toMatchObject({ status: 'completed', sent: 3, unsubscribes: 2, completedAt: completed.completedAt });
      const { unsubscribes: _u, ...rest } = twice;
      expect(rest).toEqual(completed);
    });
  });

  it('goes queued → splitting → sending → completed', () => {
    const splitting = apply(queued, (r) => foldSplitStarted(r, at));
    expect(splitting.status).toBe('splitting');
    const sending = apply(splitting, (r) => foldSplit(r, split()));
    expect(sending).toMatchObject({ status: 'sending', total: 250, duplicates: 5, batches: { total: 3, completed: 0 } });
    const done = apply(
      sending,
      (r) => foldBatchCompleted(r, result(0, 100)),
      (r) => foldBatchCompleted(r, result(1, 100)),
      (r) => foldBatchCompleted(r, result(2, 50)),
    );
    expect(toNewsletterView(done)).toMatchObject({ status: 'completed', total: 250, sent: 250, failed: 0, pending: 0 });
    expect(done.completedAt).toBe(at);
  });

  it('never counts a redelivered batch result twice', () => {
    const sending = apply(queued, (r) => foldSplit(r, split()));
    const once = foldBatchCompleted(sending, result(1, 100))!;
    expect(foldBatchCompleted(once, result(1, 100))).toBeNull();
    expect(once.sent).toBe(100);
  });

  it('counts results that overtake the split event, and settles when the split arrives', () => {
    const early = apply(
      queued,
      (r) => foldBatchCompleted(r, result(0, 100)),
      (r) => foldBatchCompleted(r, result(1, 100)),
      (r) => foldBatchCompleted(r, result(2, 50)),
    );
    expect(early.status).toBe('sending');
    expect(apply(early, (r) => foldSplit(r, split())).status).toBe('completed');
  });

  it('keeps a newsletter paused during its split paused once the split is counted (resume makes it sending)', () => {
    const paused = { ...apply(queued, (r) => foldSplitStarted(r, at)), status: 'paused' as const };
    expect(apply(paused, (r) => foldSplit(r, split()))).toMatchObject({ status: 'paused', total: 250, batches: { total: 3, completed: 0 } });
  });

  it('ignores a split-started that arrives late', () => {
    const sending = apply(queued, (r) => foldSplit(r, split()));
    expect(foldSplitStarted(sending, at)).toBeNull();
  });

  it('counts invalid addresses as failed, and settles with failures', () => {
    const sending = apply(queued, (r) => foldSplit(r, split({ total: 3, batches: 1, invalid: 1 })));
    const done = apply(sending, (r) => foldBatchCompleted(r, result(0, 1, 1)));
    expect(toNewsletterView(done)).toMatchObject({ status: 'completed_with_failures', sent: 1, failed: 2, pending: 0 });
  });

  it('fails a newsletter where nothing could be sent', () => {
    const onlyInvalid = apply(queued, (r) => foldSplit(r, split({ total: 2, batches: 0, invalid: 2 })));
    expect(toNewsletterView(onlyInvalid)).toMatchObject({ status: 'failed', failed: 2, pending: 0 });
  });

  it('fails a newsletter whose split failed, once', () => {
    const failed = foldSplitFailed(queued, { newsletterId: id, occurredAt: at, reason: 'list missing' })!;
    expect(failed).toMatchObject({ status: 'failed', error: 'list missing' });
    expect(foldSplitFailed(failed, { newsletterId: id, occurredAt: at, reason: 'again' })).toBeNull();
  });

  it('reports the submitted count as total until the split is known', () => {
    expect(toNewsletterView(queued)).toMatchObject({ total: 255, pending: 255, batches: { total: null, completed: 0 } });
  });

  it('counts suppressed recipients apart from failures (a newsletter with only suppressions completes)', () => {
    const sending = apply(queued, (r) => foldSplit(r, split({ total: 4, batches: 1, suppressed: 1 })));
    const done = apply(sending, (r) => foldBatchCompleted(r, result(0, 2, 0, { suppressed: 1 })));
    expect(toNewsletterView(done)).toMatchObject({ status: 'completed', sent: 2, suppressed: 2, failed: 0, pending: 0 });
  });

  it('counts a dead-lettered batch as completed, with its recipients failed', () => {
    const sending = apply(queued, (r) => foldSplit(r, split({ total: 20, batches: 2 })));
    const done = apply(
      sending,
      (r) => foldBatchCompleted(r, result(0, 10)),
      (r) => foldBatchCompleted(r, result(1, 3, 7), true),
    );
    expect(toNewsletterView(done)).toMatchObject({
      status: 'completed_with_failures', sent: 13, failed: 7, batches: { total: 2, completed: 2, deadLettered: 1 },
    });
  });

  describe('progress of batches in flight', () => {
    const progressed = (batchIndex: number, sent: number, extra: { failed?: number; suppressed?: number; occurredAt?: string } = {}) => ({
      newsletterId: id,
      occurredAt: extra.occurredAt ?? at,
      batchIndex,
      sent,
      failed: extra.failed ?? 0,
      suppressed: extra.suppressed ?? 0,
    });
    const sending = apply(queued, (r) => foldSplit(r, split()));

    it('shows what a batch has settled so far, then its result replaces it (never counted twice)', () => {
      const partly = apply(
        sending,
        (r) => foldBatchProgressed(r, progressed(0, 30)),
        (r) => foldBatchProgressed(r, progressed(1, 12, { failed: 1 })),
      );
      expect(partly.sent).toBe(0);
      expect(toNewsletterView(partly)).toMatchObject({ status: 'sending', sent: 42, failed: 1, pending: 207 });
      const later = foldBatchProgressed(partly, progressed(0, 70))!;
      expect(toNewsletterView(later).sent).toBe(82);
      const counted = foldBatchCompleted(later, result(0, 100))!;
      expect(counted.inFlight).toEqual({ '1': { sent: 12, failed: 1, suppressed: 0 } });
      expect(toNewsletterView(counted)).toMatchObject({ sent: 112, failed: 1 });
      const done = apply(counted, (r) => foldBatchCompleted(r, result(1, 99, 1)), (r) => foldBatchCompleted(r, result(2, 50)));
      expect(toNewsletterView(done)).toMatchObject({ status: 'completed_with_failures', sent: 249, failed: 1, pending: 0 });
    });

    it('ignores a repeated, older or late report', () => {
      const once = foldBatchProgressed(sending, progressed(0, 30))!;
      expect(foldBatchProgressed(once, progressed(0, 30))).toBeNull();
      expect(foldBatchProgressed(once, progressed(0, 20))).toBeNull();
      const counted = foldBatchCompleted(once, result(0, 100))!;
      // Overtaken by the result it belongs to: nothing to show any more.
      expect(foldBatchProgressed(counted, progressed(0, 90))).toBeNull();
      expect(toNewsletterView(counted).sent).toBe(100);
    });

    it('moves the rate as recipients settle, not a batch at a time', () => {
      const first = foldBatchProgressed(sending, progressed(0, 10, { occurredAt: '2026-11-28T10:00:01.000Z' }))!;
      const second = foldBatchProgressed(first, progressed(0, 30, { occurredAt: '2026-11-28T10:00:02.000Z' }))!;
      // The latest sample counts the recipients settled in flight, before any batch is counted.
      expect(second.progress[second.progress.length - 1]).toEqual([Date.parse('2026-11-28T10:00:02.000Z'), 30]);
      expect(second.sent).toBe(0);
    });

    it('counts a batch that never reported as cancelled when a cancel settles at its deadline', () => {
      const partly = foldBatchProgressed(foldBatchCompleted(sending, result(0, 100))!, progressed(1, 40))!;
      const settled = foldCancelDeadline(foldCancel(partly, at)!, at)!;
      expect(toNewsletterView(settled)).toMatchObject({ status: 'cancelled', sent: 100, cancelled: 150 });
    });
  });

  describe('cancel', () => {
    const later = '2026-11-28T10:05:00.000Z';
    const sending = apply(queued, (r) => foldSplit(r, split()), (r) => foldBatchCompleted(r, result(0, 100)));

    it('is cancelling (not final) while batches are in flight, and settles with the final counts when all are accounted for', () => {
      const cancelling = foldCancel(sending, later)!;
      expect(cancelling).toMatchObject({ status: 'cancelling', cancelRequestedAt: later, completedAt: null, sent: 100, cancelled: 0 });
      expect(toNewsletterView(cancelling)).toMatchObject({ status: 'cancelling', sent: 100, pending: 150, etaSeconds: null });
      // Batch 1 was in a sender's hands: 40 went out before it stopped, 60 dropped.
      const one = foldBatchCompleted(cancelling, result(1, 40, 0, { cancelled: 60 }))!;
      expect(one).toMatchObject({ status: 'cancelling', sent: 140, cancelled: 60 });
      // Batch 2 was still queued: dropped whole by the sender that took it.
      const settled = foldBatchCompleted(one, result(2, 0, 0, { cancelled: 50, occurredAt: '2026-11-28T10:05:02.000Z' }))!;
      expect(settled).toMatchObject({ status: 'cancelled', sent: 140, failed: 0, cancelled: 110, completedAt: '2026-11-28T10:05:02.000Z' });
      expect(settled.sent + settled.failed + settled.suppressed + settled.cancelled).toBe(250);
    });

    it('is idempotent: a second cancel, or one of a settled newsletter, changes nothing', () => {
      const cancelling = foldCancel(sending, later)!;
      expect(foldCancel(cancelling, later)).toBeNull();
      const done = apply(sending, (r) => foldBatchCompleted(r, result(1, 100)), (r) => foldBatchCompleted(r, result(2, 50)));
      expect(done.status).toBe('completed');
      expect(foldCancel(done, later)).toBeNull();
    });

    it('cancels a scheduled newsletter at once, everyone cancelled', () => {
      const scheduled = newNewsletterRecord(id, 20, new Date(at), { sendAt: later, test: false });
      expect(foldCancel(scheduled, later)).toMatchObject({ status: 'cancelled', cancelled: 20, completedAt: later });
    });

    it('waits for the split of a queued or splitting newsletter, then for the batches it published', () => {
      const cancelling = foldCancel(queued, later)!;
      expect(cancelling.status).toBe('cancelling');
      // The split stopped after publishing one batch of 100: the rest of the 255 submitted are cancelled.
      const stopped = foldSplit(cancelling, split({ total: 130, batches: 1, stopped: true }))!;
      expect(stopped).toMatchObject({ status: 'cancelling', total: 255, batches: { total: 1, completed: 0 } });
      const settled = foldBatchCompleted(stopped, result(0, 100))!;
      expect(settled).toMatchObject({ status: 'cancelled', sent: 100, cancelled: 155 });
      // Cancelled before the split started: no batches at all, settled as soon as that is known.
      expect(foldSplit(foldCancel(queued, later)!, split({ total: 0, batches: 0, duplicates: 0, stopped: true }))).toMatchObject({
        status: 'cancelled',
        sent: 0,
        cancelled: 255,
      });
    });

    it('settles a paused newsletter once its parked batches are dropped', () => {
      const paused: NewsletterRecord = { ...sending, status: 'paused' };
      const cancelling = foldCancel(paused, later)!;
      expect(cancelling.status).toBe('cancelling');
      const settled = apply(
        cancelling,
        (r) => foldBatchCompleted(r, result(1, 0, 0, { cancelled: 100 })),
        (r) => foldBatchCompleted(r, result(2, 0, 0, { cancelled: 50 })),
      );
      expect(settled).toMatchObject({ status: 'cancelled', sent: 100, cancelled: 150 });
    });

    it('settles at the deadline with the counts as they stand; a late batch then corrects the counts', () => {
      const cancelling = foldCancel(sending, later)!;
      expect(foldCancelDeadline(sending, later)).toBeNull();
      const deadline = '2026-11-28T10:15:00.000Z';
      const settled = foldCancelDeadline(cancelling, deadline)!;
      expect(settled).toMatchObject({ status: 'cancelled', sent: 100, cancelled: 150, completedAt: deadline });
      expect(foldCancelDeadline(settled, deadline)).toBeNull();
      const late = foldBatchCompleted(settled, result(1, 30, 0, { cancelled: 70 }))!;
      expect(late).toMatchObject({ status: 'cancelled', sent: 130, cancelled: 120 });
    });

    it('settles a cancelling newsletter whose split failed', () => {
      const cancelling = foldCancel(queued, later)!;
      expect(foldSplitFailed(cancelling, { newsletterId: id, occurredAt: later, reason: 'list missing' })).toMatchObject({
        status: 'cancelled',
        cancelled: 255,
        error: 'list missing',
      });
    });

    it('waits for an open re-send round before it settles', () => {
      const failedOnce = apply(
        queued,
        (r) => foldSplit(r, split({ total: 20, batches: 1 })),
        (r) => foldBatchCompleted(r, result(0, 10, 10)),
      );
      const inRound = { ...openRound(failedOnce, 'r1', new Date(at))!, status: 'sending' as const };
      const withSize = foldRoundStarted(inRound, { newsletterId: id, occurredAt: at, round: 'r1', batches: 1, recipients: 10 })!;
      const cancelling = foldCancel(withSize, later)!;
      expect(cancelling.status).toBe('cancelling');
      const settled = foldBatchCompleted(cancelling, result(0, 4, 0, { round: 'r1' }))!;
      expect(settled).toMatchObject({ status: 'cancelled', sent: 14, failed: 6, cancelled: 0 });
    });
  });

  describe('re-send rounds', () => {
    const settled = apply(
      queued,
      (r) => foldSplit(r, split({ total: 20, batches: 2 })),
      (r) => foldBatchCompleted(r, result(0, 8, 2)),
      (r) => foldBatchCompleted(r, result(1, 7, 3)),
    );

    it('reopen a settled newsletter and move recovered recipients from failed to sent', () => {
      expect(settled.status).toBe('completed_with_failures');
      const reopened = openRound(settled, 'r1', new Date(at))!;
      expect(reopened.status).toBe('sending');
      const done = apply(
        reopened,
        (r) => foldBatchCompleted(r, result(1, 3, 0, { round: 'r1' })),
        (r) => foldRoundStarted(r, { newsletterId: id, occurredAt: at, round: 'r1', batches: 2, recipients: 5 }),
        (r) => foldBatchCompleted(r, result(0, 1, 1, { round: 'r1', suppressed: 1 })),
      );
      expect(toNewsletterView(done)).toMatchObject({ status: 'completed', sent: 19, failed: 0, suppressed: 1, pending: 0 });
    });

    it('never count a round batch twice', () => {
      const reopened = openRound(settled, 'r1', new Date(at))!;
      const once = foldBatchCompleted(reopened, result(1, 3, 0, { round: 'r1' }))!;
      expect(foldBatchCompleted(once, result(1, 3, 0, { round: 'r1' }))).toBeNull();
    });

    it('settle at once when the round has nobody to send to', () => {
      const reopened = openRound(settled, 'r1', new Date(at))!;
      const done = foldRoundStarted(reopened, { newsletterId: id, occurredAt: at, round: 'r1', batches: 0, recipients: 0 })!;
      expect(done.status).toBe('completed_with_failures');
    });

    it('can only be opened on a settled newsletter, once per id', () => {
      const sending = apply(queued, (r) => foldSplit(r, split()));
      expect(openRound(sending, 'r1')).toBeNull();
      expect(openRound(openRound(settled, 'r1')!, 'r1')).toBeNull();
    });
  });
  describe('pauses (bounded by the tracker: pausedForMs)', () => {
    const hour = 3_600_000;
    const t0 = Date.parse(at);
    const iso = (ms: number) => new Date(ms).toISOString();
    const sending = apply(queued, (r) => foldSplitStarted(r, at), (r) => foldSplit(r, split()));

    it('adds up every pause: the current one runs until now, earlier ones are kept in pausedMs', () => {
      const paused = foldPause(sending, iso(t0 + hour));
      expect(paused).toMatchObject({ status: 'paused', pausedAt: iso(t0 + hour) });
      expect(pausedForMs(paused, t0 + 3 * hour)).toBe(2 * hour);
      const resumed = foldResume(paused, iso(t0 + 4 * hour), 'sending');
      expect(resumed.status).toBe('sending');
      expect(resumed.pausedAt).toBeUndefined();
      expect(resumed.pausedMs).toBe(3 * hour);
      // Not paused: the time since does not count.
      expect(pausedForMs(resumed, t0 + 100 * hour)).toBe(3 * hour);
      const again = foldPause(resumed, iso(t0 + 10 * hour));
      expect(pausedForMs(again, t0 + 12 * hour)).toBe(5 * hour);
    });

    it('reads a record paused by an older version (no pausedAt): from the pause control, else its last change', () => {
      const old: NewsletterRecord = { ...sending, status: 'paused', updatedAt: iso(t0 + 5 * hour) };
      expect(pausedForMs(old, t0 + 6 * hour, iso(t0 + 2 * hour))).toBe(4 * hour);
      expect(pausedForMs(old, t0 + 6 * hour)).toBe(hour);
      // Resumed, a pause without pausedAt counts from its last change.
      expect(foldResume(old, iso(t0 + 6 * hour), 'sending').pausedMs).toBe(hour);
    });

    it('keeps why Mailroom cancelled it, and what the pause lasted', () => {
      const paused = foldPause(sending, iso(t0));
      const cancelling = foldCancel(paused, iso(t0 + 2 * hour), 'pause_limit')!;
      expect(cancelling).toMatchObject({ status: 'cancelling', cancelReason: 'pause_limit', pausedMs: 2 * hour });
      expect(cancelling.pausedAt).toBeUndefined();
      const settled = apply(
        cancelling,
        (r) => foldBatchCompleted(r, result(0, 0, 0, { cancelled: 100 })),
        (r) => foldBatchCompleted(r, result(1, 0, 0, { cancelled: 100 })),
        (r) => foldBatchCompleted(r, result(2, 0, 0, { cancelled: 50 })),
      );
      expect(settled).toMatchObject({ status: 'cancelled', cancelled: 250, cancelReason: 'pause_limit' });
      expect(toNewsletterView(settled).cancelReason).toBe('pause_limit');
      // A caller's cancel carries no reason.
      const byCaller = foldCancel(sending, iso(t0))!;
      expect(byCaller.cancelReason).toBeUndefined();
      expect(toNewsletterView(byCaller)).not.toHaveProperty('cancelReason');
    });
  });
});
