import { FINAL_STATUSES, NEWSLETTER_STATUSES, type NewsletterStatus } from '@mailroom/contracts';

/** A named way a newsletter's status changes: who changes it, and between which statuses. */
export interface NewsletterTransition {
  readonly from: readonly NewsletterStatus[];
  readonly to: readonly NewsletterStatus[];
  /** Who makes the change, and on what. */
  readonly by: string;
}

/** Statuses a newsletter is still on its way through (everything but the final ones). */
const UNDER_WAY = ['scheduled', 'queued', 'splitting', 'sending', 'paused'] as const satisfies readonly NewsletterStatus[];
/** Final statuses reached by counting (cancelled is set, never counted into). */
const SETTLED = ['completed', 'completed_with_failures', 'failed'] as const satisfies readonly NewsletterStatus[];

/**
 * Every change of a newsletter's status, in one place. `NewsletterRecords` is the only code that
 * writes the records, and it refuses any change of status this table does not allow (see
 * `isAllowedMove`), so this table is the whole answer to "who changes a newsletter's status?".
 */
export const NEWSLETTER_TRANSITIONS = {
  create: { from: [], to: ['scheduled', 'queued'], by: 'gateway: a newsletter is accepted (scheduled when it has a sendAt)' },
  queue: { from: ['scheduled'], to: ['queued'], by: "splitter's scheduler: sendAt is reached, the request is published" },
  startSplit: { from: ['scheduled', 'queued'], to: ['splitting'], by: 'tracker: the splitter started reading the list' },
  startSending: {
    from: ['scheduled', 'queued', 'splitting'],
    to: ['sending'],
    by: 'tracker: the split is counted, or a batch result that overtook it',
  },
  settle: {
    from: UNDER_WAY,
    to: SETTLED,
    by: 'tracker: every batch of the first pass and of every round is counted (a split with no batches settles at once)',
  },
  failSplit: { from: UNDER_WAY, to: ['failed'], by: 'tracker: the list is missing, or the request was dead-lettered' },
  pause: { from: ['queued', 'splitting', 'sending'], to: ['paused'], by: 'gateway: pause' },
  resume: { from: ['paused'], to: ['queued', 'splitting', 'sending'], by: 'gateway: resume (back to what it was doing)' },
  cancel: {
    from: UNDER_WAY,
    to: ['cancelling', 'cancelled'],
    by: 'gateway: cancel (cancelled at once while still scheduled: nothing can be in flight; else cancelling); tracker: a paused newsletter past PAUSE_LIMIT_MS',
  },
  settleCancel: {
    from: ['cancelling'],
    to: ['cancelled'],
    by: 'tracker: every batch is accounted for (sent, or dropped by a sender), or the cancel deadline passed',
  },
  openRetryRound: { from: FINAL_STATUSES, to: ['sending'], by: 'gateway: retry-failed on a settled newsletter' },
  closeUnstartedRound: { from: ['sending'], to: FINAL_STATUSES, by: 'gateway: the retry request could not be published' },
  reopenForRedrive: {
    from: NEWSLETTER_STATUSES.filter((status) => status !== 'cancelling'),
    to: ['sending'],
    by: 'gateway: a counted dead batch is re-driven as a round of its own; tracker: a result or size of a round not yet settled',
  },
  // Not a cancelled one: the splitter skips a cancelled newsletter's request, so it would stay queued.
  requeue: { from: ['failed'], to: ['queued'], by: 'gateway: the dead-lettered request of a failed newsletter (never split) is re-driven' },
} as const satisfies Record<string, NewsletterTransition>;

export type NewsletterTransitionName = keyof typeof NEWSLETTER_TRANSITIONS;

const allowed = new Map<NewsletterStatus, Set<NewsletterStatus>>(NEWSLETTER_STATUSES.map((status) => [status, new Set()]));
for (const transition of Object.values(NEWSLETTER_TRANSITIONS) as NewsletterTransition[]) {
  for (const from of transition.from) for (const to of transition.to) allowed.get(from)!.add(to);
}

/** Whether a record may go from `from` to `to` (staying in a status is always allowed). */
export function isAllowedMove(from: NewsletterStatus, to: NewsletterStatus): boolean {
  return from === to || (allowed.get(from)?.has(to) ?? false);
}

/** Whether `transition` may start from `status`. */
export function canTransition(name: NewsletterTransitionName, status: NewsletterStatus): boolean {
  return (NEWSLETTER_TRANSITIONS[name].from as readonly NewsletterStatus[]).includes(status);
}

/** A change of status the machine does not allow: a bug in the code that asked for it, never stored. */
export class RefusedTransitionError extends Error {
  override readonly name = 'RefusedTransitionError';

  constructor(
    readonly newsletterId: string,
    readonly from: NewsletterStatus,
    readonly to: NewsletterStatus,
  ) {
    super(`Newsletter ${newsletterId}: a change from ${from} to ${to} is not an allowed transition (NEWSLETTER_TRANSITIONS)`);
  }
}
