import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MAX_LIST_PARTS, addressHash, mailboxKey } from '@mailroom/contracts';
import { ListPartsStore, ListRecords, rewrittenPartObject, type ListRecord } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { ApiError, ConflictError, NotFoundError, ServiceUnavailableError, ValidationFailedError } from '../http/api-errors';
import { ImportLock } from './import-lock';
import { decodeSubscriberCursor, encodeCursor } from './list-cursor';
import { inUse, ListUsage, type ListUsageCheck } from './list-usage';
import { ListsService } from './lists.service';
import type { Subscriber } from './subscriber-checks';
import { applySubscriberPatch, type SubscriberPatch } from './subscriber-patch';

/** A subscriber as the API shows it. */
export interface SubscriberView {
  readonly email: string;
  readonly name: string | null;
  readonly vars: Readonly<Record<string, string>>;
}

export interface SubscriberPage {
  readonly items: SubscriberView[];
  readonly next: string | null;
}

/** Where one subscriber is stored: the part of which import. */
export interface FoundSubscriber {
  readonly importId: string;
  readonly object: string;
  readonly subscriber: Subscriber;
}

export function toSubscriberView(subscriber: Subscriber): SubscriberView {
  return { email: subscriber.email, name: subscriber.name ?? null, vars: subscriber.vars ?? {} };
}

/** For logs: never the address, only the start of its hash. */
export const addressRef = (email: string) => addressHash(mailboxKey(email)).slice(0, 8);

/**
 * The subscribers of one list: paged, one read, changed or removed. A list's parts are never
 * changed in place (a newsletter may be reading them): a change writes the part anew and swaps it
 * in with compare-and-set, holding the list like an import (one change or import at a time), and
 * removes the old part after. Refused (409) while a newsletter to the list has not settled.
 */
@Injectable()
export class ListSubscribersService {
  private readonly logger = new Logger(ListSubscribersService.name);

  constructor(
    private readonly lists: ListsService,
    private readonly records: ListRecords,
    private readonly parts: ListPartsStore,
    private readonly usage: ListUsage,
  ) {}

  /** A page of the list's subscribers in list order (imports in order, rows in import order). */
  async page(listId: string, caller: Caller, limit: number, cursor?: string): Promise<SubscriberPage> {
    const after = cursor === undefined ? undefined : decodeSubscriberCursor(cursor);
    const record = await this.lists.own(listId, caller);
    const entries = record.imports.filter((entry) => entry.object !== null);
    let index = 0;
    if (after) {
      const at = record.imports.findIndex((entry) => entry.id === after.importId);
      if (at === -1) throw new ValidationFailedError('cursor must be the `next` of a previous page of this list', 'cursor');
      // The first part at or after the cursor's import (its part may have been emptied since).
      index = entries.findIndex((entry) => record.imports.indexOf(entry) >= at);
      if (index === -1) index = entries.length;
    }
    const items: SubscriberView[] = [];
    let last: { importId: string; offset: number } | undefined;
    let more = false;
    await this.unavailableOnFailure(async () => {
      for (; index < entries.length && !more; index += 1) {
        const entry = entries[index]!;
        const skip = after && entry.id === after.importId ? after.offset : 0;
        let offset = 0;
        for await (const subscriber of await this.linesOf(record, entry.object!)) {
          offset += 1;
          if (offset <= skip) continue;
          if (items.length === limit) {
            more = true;
            break;
          }
          items.push(toSubscriberView(subscriber));
          last = { importId: entry.id, offset };
        }
      }
    });
    return { items, next: more && last ? encodeCursor(last) : null };
  }

  async get(listId: string, email: string, caller: Caller): Promise<SubscriberView> {
    const record = await this.lists.own(listId, caller);
    const found = await this.find(record, email);
    if (!found) throw notInList(listId);
    return toSubscriberView(found.subscriber);
  }

  /** Changes a subscriber's name or merge fields; 400 naming the field, 404 not in the list, 409 while the list is read by a newsletter. */
  async update(listId: string, email: string, patch: SubscriberPatch, caller: Caller): Promise<SubscriberView> {
    const record = await this.lists.own(listId, caller);
    const found = await this.find(record, email);
    if (!found) throw notInList(listId);
    const checked = applySubscriberPatch(found.subscriber, patch);
    if (!checked.ok) throw new ValidationFailedError(checked.reason, checked.field);
    const usage = await this.usage.assertUnused(record, 'change its subscribers');
    const { after } = await this.rewrite(listId, found.importId, email, usage, (subscriber) => {
      const again = applySubscriberPatch(subscriber, patch);
      return again.ok ? again.subscriber : subscriber;
    });
    this.logger.log({ listId, caller: caller.keyName, tenant: caller.tenant, address: addressRef(email) }, 'Subscriber updated');
    return toSubscriberView(after ?? found.subscriber);
  }

  /** Removes a subscriber from the list (its part is written anew without it; the old part is removed). */
  async remove(listId: string, email: string, caller: Caller): Promise<{ readonly removed: SubscriberView; readonly subscribers: number }> {
    const record = await this.lists.own(listId, caller);
    const found = await this.find(record, email);
    if (!found) throw notInList(listId);
    const usage = await this.usage.assertUnused(record, 'remove subscribers from it');
    const removed = await this.removeFrom(record.id, found, usage);
    this.logger.log({ listId, caller: caller.keyName, tenant: caller.tenant, address: addressRef(email) }, 'Subscriber removed');
    return { removed: toSubscriberView(removed.subscriber), subscribers: removed.subscribers };
  }

  /**
   * Removes a subscriber found in the list (`found`) once its newsletters were checked (`usage`),
   * and any other spelling of its mailbox in later parts (lists imported before mailbox keys may
   * hold two); erasure uses it for every list.
   */
  async removeFrom(listId: string, found: FoundSubscriber, usage: ListUsageCheck): Promise<{ readonly subscriber: Subscriber; readonly subscribers: number }> {
    let subscribers = 0;
    const { before } = await this.rewrite(listId, found.importId, found.subscriber.email, usage, () => null, (record) => (subscribers = record.subscribers));
    // Each pass removes the mailbox from one part (every spelling in it); a part holds it at most once per import.
    let last = found.importId;
    for (let pass = 0; pass < MAX_LIST_PARTS; pass += 1) {
      const record = await this.records.get(listId);
      // Every spelling in a part goes with one rewrite: only the parts after it can hold another.
      const again = record ? await this.find(record, found.subscriber.email, last) : null;
      if (!again) break;
      await this.rewrite(listId, again.importId, again.subscriber.email, usage, () => null, (r) => (subscribers = r.subscribers));
      last = again.importId;
    }
    return { subscriber: before, subscribers };
  }

  /** Every subscriber of the list with the address's mailbox (one, unless the list was imported before mailbox keys). */
  async findAll(record: ListRecord, email: string): Promise<Subscriber[]> {
    const key = mailboxKey(email);
    return this.unavailableOnFailure(async () => {
      const all: Subscriber[] = [];
      for (const entry of record.imports) {
        if (!entry.object) continue;
        for await (const subscriber of await this.linesOf(record, entry.object)) if (mailboxKey(subscriber.email) === key) all.push(subscriber);
      }
      return all;
    });
  }

  /** Where the address (by mailbox key, any case) is in the list (in the parts after import `afterImportId`); null when it is not. Reads the parts in order. */
  async find(record: ListRecord, email: string, afterImportId?: string): Promise<FoundSubscriber | null> {
    const key = mailboxKey(email);
    const from = afterImportId === undefined ? 0 : record.imports.findIndex((entry) => entry.id === afterImportId) + 1;
    return this.unavailableOnFailure(async () => {
      for (const entry of record.imports.slice(from)) {
        if (!entry.object) continue;
        for await (const subscriber of await this.linesOf(record, entry.object)) {
          if (mailboxKey(subscriber.email) === key) return { importId: entry.id, object: entry.object, subscriber };
        }
      }
      return null;
    });
  }

  /**
   * Writes import `importId`'s part anew with the subscriber (by mailbox key) changed by `edit`
   * (null: removed), swaps it in, removes the old part; returns the subscriber as it was and as it is.
   */
  private async rewrite(
    listId: string,
    importId: string,
    email: string,
    usage: ListUsageCheck,
    edit: (subscriber: Subscriber) => Subscriber | null,
    committed?: (record: ListRecord) => void,
  ): Promise<{ readonly before: Subscriber; readonly after: Subscriber | null }> {
    const changeId = randomUUID();
    const { lock, record } = await ImportLock.acquire(this.records, listId, changeId, 'A subscriber change or an import to this list is running; try again when it has finished. Nothing was changed.');
    const key = mailboxKey(email);
    let written: string | null = null;
    try {
      const entry = record.imports.find((e) => e.id === importId);
      if (!entry?.object) throw notInList(listId);
      const object = rewrittenPartObject(listId, importId, changeId);
      let before: Subscriber | undefined;
      let after: Subscriber | null = null;
      let kept = 0;
      let removed = 0;
      const source = await this.linesOf(record, entry.object);
      async function* edited(): AsyncGenerator<Subscriber> {
        for await (const subscriber of source) {
          const matches = mailboxKey(subscriber.email) === key;
          if (matches && before === undefined) {
            before = subscriber;
            after = edit(subscriber);
          }
          // A removal drops every spelling of the mailbox in the part (lists imported before
          // mailbox keys may hold two); a change applies to the first.
          const next = !matches ? subscriber : after === null ? null : before === subscriber ? after : subscriber;
          if (next === null) {
            removed += 1;
            continue;
          }
          kept += 1;
          yield next;
        }
      }
      written = object;
      await this.parts.putLines(object, edited());
      if (before === undefined) throw notInList(listId);
      const empty = kept === 0;
      if (empty) {
        await this.parts.delete(object);
        written = null;
      }
      lock.stop();
      const result = await this.records.commitRewrite(listId, { changeId, importId, object: empty ? null : object, removed }, usage.checked);
      if (!result.ok) {
        if (result.reason === 'sent-meanwhile') {
          const fresh = await this.records.get(listId);
          const again = fresh ? await this.usage.check(fresh) : undefined;
          if (again?.unsettled.length) throw inUse(listId, again.unsettled, 'change its subscribers');
          throw new ConflictError(`A newsletter to list ${listId} was submitted meanwhile; try again once it has settled. Nothing was changed.`);
        }
        if (result.reason === 'missing' || result.reason === 'deleted') throw new NotFoundError(`No list with id ${listId}`);
        throw new ConflictError('This change stalled for so long that an import to the list took over; nothing was changed. Try again.');
      }
      written = null;
      committed?.(result.record);
      // The old part is read by no one now (no unsettled newsletter names it); a failure here leaves an orphan, not a wrong list.
      await this.parts.delete(entry.object).catch((error: unknown) => this.logger.warn({ listId, importId, err: (error as Error).message }, 'Could not remove a replaced list part'));
      return { before, after };
    } catch (error) {
      lock.stop();
      await Promise.allSettled([lock.release(), written ? this.parts.delete(written) : Promise.resolve()]);
      if (error instanceof ApiError) throw error;
      this.logger.error({ listId, importId, err: (error as Error).message }, 'Subscriber change failed; nothing was changed');
      throw new ServiceUnavailableError('The change could not be completed; nothing was changed. Try again.', undefined, { cause: error });
    }
  }

  private async linesOf(record: ListRecord, object: string): Promise<AsyncIterable<Subscriber>> {
    const lines = await this.parts.readLines<Subscriber>(object);
    if (!lines) throw new Error(`Part ${object} of list ${record.id} is missing`);
    return lines;
  }

  private async unavailableOnFailure<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ServiceUnavailableError('Subscriber lists are unavailable right now; nothing was changed. Try again.', undefined, { cause: error });
    }
  }
}

function notInList(listId: string): NotFoundError {
  return new NotFoundError(`This address is not a subscriber of list ${listId}`);
}
