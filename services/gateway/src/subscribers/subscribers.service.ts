import { Injectable, Logger } from '@nestjs/common';
import { mailboxKey, normalizeAddress, tenantOf, type SuppressionEntry } from '@mailroom/contracts';
import { DeliveryLedger, GLOBAL_SUPPRESSIONS, ListRecords, NewsletterRecords, SuppressionRecords, tenantSuppressions, type ListRecord } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { ApiError, ConflictError, ServiceUnavailableError } from '../http/api-errors';
import { ListSubscribersService, addressRef, toSubscriberView, type FoundSubscriber, type SubscriberView } from '../lists/list-subscribers.service';
import { ListUsage, type ListUsageCheck } from '../lists/list-usage';
import type { Subscriber } from '../lists/subscriber-checks';

/** Export of one address (GDPR Art. 15) for the caller's tenant. */
export interface SubscriberExport {
  readonly email: string;
  /** The tenant's lists that hold the address, each with what it stores about it (a list imported before mailbox keys may show two spellings). */
  readonly lists: ReadonlyArray<{ readonly listId: string; readonly listName: string; readonly subscriber: SubscriberView }>;
  readonly suppression: {
    /** The tenant's suppression entry of the address (null: none). */
    readonly tenant: SuppressionEntry | null;
    /** Whether the global list (hard bounces and complaints, kept by the operator) holds it, and why. */
    readonly global: { readonly reason: string; readonly at: string } | null;
  };
  /**
   * The tenant's newsletters sent to the address that the ledger still holds (its retention, 30
   * days by default), newest first. Looked up by the spellings known for the mailbox (see
   * `spellingsOf`): a send to a spelling known nowhere else is not found.
   */
  readonly deliveries: readonly DeliveryOutcome[];
}

/** One newsletter's outcome for the address, as the delivery ledger recorded it. */
export interface DeliveryOutcome {
  readonly newsletterId: string;
  /** accepted (the provider took it), deferred (to be retried), failed, suppressed (skipped). */
  readonly state: string;
  readonly at: string;
  readonly attempts: number;
  readonly code?: number;
  readonly reason?: string;
  /** When a bounce after acceptance was reported, if one was. */
  readonly bouncedAt?: string;
  /** When a spam complaint was reported, if one was. */
  readonly complainedAt?: string;
  /** When the recipient first opened it (a reader loading the tracking pixel; machine opens are not opens), if tracked and opened. */
  readonly openedAt?: string;
  /** When the recipient first followed a tracked link of it, if one was. */
  readonly clickedAt?: string;
}

/**
 * The spellings of one mailbox under which the delivery ledger may hold outcomes (it keys them by
 * the hash of the address as sent, and has no index by mailbox): the one asked for, its mailbox
 * key (the all-lower-case spelling, the commonest), those the tenant's lists hold (an older list
 * may keep two), and those of its suppression entries (an unsubscribe or a bounce records the
 * address as it was sent). Each costs one filtered scan of the ledger, so only distinct ones.
 */
export function spellingsOf(email: string, listed: readonly string[], suppressions: ReadonlyArray<SuppressionEntry | null>): string[] {
  const suppressed = suppressions.flatMap((entry) => {
    if (!entry || entry.erased || !entry.email) return [];
    const address = normalizeAddress(entry.email);
    return address.ok ? [address.email] : [];
  });
  return [...new Set([email, mailboxKey(email), ...listed, ...suppressed])];
}

/** At most this many outcomes in an export: the newest. */
const MAX_DELIVERIES = 100;

/** What an erasure (GDPR Art. 17) removed and kept. */
export interface SubscriberErasure {
  readonly erased: true;
  /** The lists the address was removed from (with the subscribers each has left). */
  readonly removedFrom: ReadonlyArray<{ readonly listId: string; readonly listName: string; readonly subscribers: number }>;
  readonly suppression: {
    /** Kept: the tenant's suppression entry is now an erased one (no address, only the hash key), so nothing is sent to it again. */
    readonly kept: 'erased';
    /** The reason of the tenant's entry it replaced (null: the address was not suppressed before). */
    readonly replacedReason: string | null;
    /** The global list holds the address too (the operator's, not erased by a tenant). */
    readonly global: boolean;
  };
}

/**
 * One address across the caller's tenant's lists: what is stored about it (export), and its
 * erasure. Both read every part of every list of the tenant (there is no index by address).
 */
@Injectable()
export class SubscribersService {
  private readonly logger = new Logger(SubscribersService.name);

  constructor(
    private readonly records: ListRecords,
    private readonly subscribers: ListSubscribersService,
    private readonly usage: ListUsage,
    private readonly suppressions: SuppressionRecords,
    private readonly ledger: DeliveryLedger,
    private readonly newsletters: NewsletterRecords,
  ) {}

  async export(email: string, caller: Caller): Promise<SubscriberExport> {
    const lists = await this.unavailableOnFailure(() => this.records.allOf(caller.tenant));
    const found: Array<{ record: ListRecord; subscriber: Subscriber }> = [];
    for (const record of lists) for (const subscriber of await this.subscribers.findAll(record, email)) found.push({ record, subscriber });
    const [tenant, global] = await this.unavailableOnFailure(() =>
      Promise.all([this.suppressions.get(email, tenantSuppressions(caller.tenant)), this.suppressions.get(email, GLOBAL_SUPPRESSIONS)]),
    );
    const spellings = spellingsOf(email, found.map(({ subscriber }) => subscriber.email), [tenant, global]);
    const deliveries = await this.unavailableOnFailure(() => this.deliveriesOf(spellings, caller.tenant));
    this.logger.log({ caller: caller.keyName, tenant: caller.tenant, address: addressRef(email), lists: found.length, deliveries: deliveries.length }, 'Subscriber exported');
    return {
      email,
      lists: found.map(({ record, subscriber }) => ({ listId: record.id, listName: record.name, subscriber: toSubscriberView(subscriber) })),
      suppression: { tenant, global: global ? { reason: global.reason, at: global.at } : null },
      deliveries,
    };
  }

  /** The ledger's outcomes for these spellings, of the tenant's newsletters only (a newsletter whose record is gone is left out), newest first. */
  private async deliveriesOf(spellings: readonly string[], tenant: string): Promise<DeliveryOutcome[]> {
    const outcomes = (await Promise.all(spellings.map((spelling) => this.ledger.outcomesOf(spelling)))).flat();
    const owner = new Map<string, boolean>();
    const deliveries: DeliveryOutcome[] = [];
    for (const { newsletterId, entry } of outcomes) {
      if (!owner.has(newsletterId)) {
        const record = await this.newsletters.get(newsletterId);
        owner.set(newsletterId, record !== null && tenantOf(record) === tenant);
      }
      if (!owner.get(newsletterId)) continue;
      deliveries.push({
        newsletterId,
        state: entry.state,
        at: entry.at,
        attempts: entry.attempts,
        ...(entry.code !== undefined ? { code: entry.code } : {}),
        ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
        ...(entry.feedback?.bounce ? { bouncedAt: entry.feedback.bounce } : {}),
        ...(entry.feedback?.complaint ? { complainedAt: entry.feedback.complaint } : {}),
        ...(entry.engagement?.open ? { openedAt: entry.engagement.open } : {}),
        ...(entry.engagement?.click ? { clickedAt: entry.engagement.click } : {}),
      });
    }
    return deliveries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, MAX_DELIVERIES);
  }

  /**
   * Removes the address from every list of the tenant and keeps it only as an erased suppression
   * entry. Checked for every list first: while a newsletter to one of them has not settled (it may
   * be reading the list), or an import to one runs, nothing is done (409 naming them).
   */
  async erase(email: string, caller: Caller): Promise<SubscriberErasure> {
    const found = await this.findEverywhere(email, caller);
    const checks: Array<{ record: ListRecord; found: FoundSubscriber; usage: ListUsageCheck }> = [];
    const busy: string[] = [];
    for (const hit of found) {
      const usage = await this.unavailableOnFailure(() => this.usage.check(hit.record));
      if (usage.unsettled.length > 0) busy.push(`list ${hit.record.id} (newsletter ${usage.unsettled.join(', ')} has not settled)`);
      else if (hit.record.importing) busy.push(`list ${hit.record.id} (an import is running)`);
      checks.push({ ...hit, usage });
    }
    if (busy.length > 0) {
      throw new ConflictError(`The address cannot be erased yet: ${busy.join('; ')}. Try again once they have settled, or cancel them. Nothing was changed.`);
    }
    // The suppression first: from here on nothing is sent to the address, whatever happens next.
    const replaced = await this.unavailableOnFailure(() =>
      this.suppressions.erase(email, tenantSuppressions(caller.tenant), {
        email: '',
        erased: true,
        reason: 'manual',
        at: new Date().toISOString(),
        source: `api:${caller.keyName}`,
        detail: 'erased (GDPR Art. 17)',
      }),
    );
    const removedFrom: Array<{ listId: string; listName: string; subscribers: number }> = [];
    for (const { record, found: f, usage } of checks) {
      const removed = await this.subscribers.removeFrom(record.id, f, usage);
      removedFrom.push({ listId: record.id, listName: record.name, subscribers: removed.subscribers });
    }
    const global = await this.unavailableOnFailure(() => this.suppressions.get(email, GLOBAL_SUPPRESSIONS));
    this.logger.log({ caller: caller.keyName, tenant: caller.tenant, address: addressRef(email), lists: removedFrom.length }, 'Subscriber erased');
    return {
      erased: true,
      removedFrom,
      suppression: { kept: 'erased', replacedReason: replaced && !replaced.erased ? replaced.reason : replaced ? 'erased' : null, global: global !== null },
    };
  }

  private async findEverywhere(email: string, caller: Caller): Promise<Array<{ record: ListRecord; found: FoundSubscriber }>> {
    const lists = await this.unavailableOnFailure(() => this.records.allOf(caller.tenant));
    const hits: Array<{ record: ListRecord; found: FoundSubscriber }> = [];
    for (const record of lists) {
      const found = await this.subscribers.find(record, email);
      if (found) hits.push({ record, found });
    }
    return hits;
  }

  private async unavailableOnFailure<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ServiceUnavailableError('Subscribers are unavailable right now; nothing was changed. Try again.', undefined, { cause: error });
    }
  }
}
