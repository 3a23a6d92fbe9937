import { Injectable } from '@nestjs/common';
import { isFinal } from '@mailroom/contracts';
import { NewsletterRecords, sendsOf, type ListRecord } from '@mailroom/jetstream';
import { ConflictError } from '../http/api-errors';

/**
 * A newsletter registered on a list whose record is not there yet is taken to be on its way for
 * this long (the record is written right after the list is read); after that it never was created
 * (an idempotent replay, a refused request) or has long expired.
 */
const UNBORN_GRACE_MS = 10 * 60_000;

/** What the newsletters sent to a list are doing: those that have not settled may still read its parts. */
export interface ListUsageCheck {
  /** Newsletters to the list that have not settled (scheduled, queued, splitting, sending, paused). */
  readonly unsettled: readonly string[];
  /** Every newsletter looked at: a change is refused if one not among them was sent to the list since. */
  readonly checked: ReadonlySet<string>;
}

/** Whether a list's stored parts may be removed or replaced: not while a newsletter to it has not settled. */
@Injectable()
export class ListUsage {
  constructor(private readonly newsletters: NewsletterRecords) {}

  async check(record: ListRecord, now = Date.now()): Promise<ListUsageCheck> {
    const sends = sendsOf(record);
    const unsettled: string[] = [];
    for (const send of sends) {
      const newsletter = await this.newsletters.get(send.newsletterId);
      const waiting = newsletter ? !isFinal(newsletter.status) : now - Date.parse(send.at) < UNBORN_GRACE_MS;
      if (waiting) unsettled.push(send.newsletterId);
    }
    return { unsettled, checked: new Set(sends.map((s) => s.newsletterId)) };
  }

  /** The check, or a 409 naming the newsletters that still read the list (`what`: the change refused). */
  async assertUnused(record: ListRecord, what: string): Promise<ListUsageCheck> {
    const usage = await this.check(record);
    if (usage.unsettled.length > 0) throw inUse(record.id, usage.unsettled, what);
    return usage;
  }
}

export function inUse(listId: string, newsletters: readonly string[], what: string): ConflictError {
  const named = newsletters.slice(0, 5).join(', ') + (newsletters.length > 5 ? ` and ${newsletters.length - 5} more` : '');
  return new ConflictError(
    `List ${listId} is read by newsletter${newsletters.length > 1 ? 's' : ''} ${named}, which ha${newsletters.length > 1 ? 've' : 's'} not settled; ` +
      `${what} once ${newsletters.length > 1 ? 'they have' : 'it has'} settled, or cancel ${newsletters.length > 1 ? 'them' : 'it'}. Nothing was changed.`,
  );
}
