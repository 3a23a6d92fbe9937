import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { tenantOf } from '@mailroom/contracts';
import { ListPartsStore, ListRecords, partsOf, type ListRecord } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../http/api-errors';
import { IMPORT_STALE_AFTER_MS } from './import-lock';
import { decodeListIndexCursor, pageAfter } from './list-cursor';
import { ListUsage } from './list-usage';
import { toListView, type ListView } from './list-view';

/** What a newsletter to a list reads: the list's parts as they are now, in order. */
export interface ListSnapshot {
  readonly listId: string;
  readonly parts: string[];
  readonly subscribers: number;
}

/** What a delete removed. */
export interface DeletedList {
  readonly id: string;
  readonly name: string;
  readonly subscribers: number;
  /** Stored parts removed (one per import that accepted someone). */
  readonly parts: number;
}

export interface ListPage {
  readonly items: ListView[];
  readonly next: string | null;
}

/** Creating, reading, renaming and deleting subscriber lists, and the snapshot a newsletter to a list is sent from. */
@Injectable()
export class ListsService {
  private readonly logger = new Logger(ListsService.name);

  constructor(
    private readonly records: ListRecords,
    private readonly parts: ListPartsStore,
    private readonly usage: ListUsage,
  ) {}

  async create(name: string, caller: Caller): Promise<ListView> {
    const record = await this.records.create(randomUUID(), name, caller.tenant);
    this.logger.log({ listId: record.id, caller: caller.keyName, tenant: caller.tenant }, 'List created');
    return toListView(record);
  }

  /** The list; 404 when it does not exist or belongs to another tenant (the same answer). */
  async get(id: string, caller: Caller): Promise<ListView> {
    return toListView(await this.own(id, caller));
  }

  /** The caller's tenant's lists, oldest first (then by id), a page at a time. */
  async page(caller: Caller, limit: number, cursor?: string): Promise<ListPage> {
    const after = cursor === undefined ? undefined : decodeListIndexCursor(cursor);
    const all = await this.unavailableOnFailure(() => this.records.allOf(caller.tenant));
    const page = pageAfter(all, after, limit);
    return { items: page.items.map(toListView), next: page.next };
  }

  async rename(id: string, name: string, caller: Caller): Promise<ListView> {
    await this.own(id, caller);
    const renamed = await this.records.rename(id, name);
    if (!renamed) throw new NotFoundError(`No list with id ${id}`);
    this.logger.log({ listId: id, caller: caller.keyName, tenant: caller.tenant }, 'List renamed');
    return toListView(renamed);
  }

  /**
   * Deletes the list and its stored parts. Refused (409, naming them) while a newsletter to it has
   * not settled, since it may still read the parts, or while an import to it runs; nothing is
   * changed then. Once begun, the list is gone for every reader; a delete that was cut short
   * (the gateway stopped) is finished by the next DELETE.
   */
  async delete(id: string, caller: Caller): Promise<DeletedList> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.records.getStored(id);
      if (!stored || tenantOf(stored) !== caller.tenant) throw new NotFoundError(`No list with id ${id}`);
      if (stored.deletedAt !== undefined) return this.removeParts(stored, caller);
      const usage = await this.usage.assertUnused(stored, 'delete it');
      const marked = await this.records.markDeleted(id, usage.checked, IMPORT_STALE_AFTER_MS);
      if (marked.ok) return this.removeParts(marked.record, caller);
      if (marked.reason === 'missing') throw new NotFoundError(`No list with id ${id}`);
      if (marked.reason === 'importing') {
        throw new ConflictError(`An import to list ${id} is running; delete it once the import has finished. Nothing was changed.`);
      }
      // 'sent-meanwhile': a newsletter to the list was just submitted; look again (it will be named).
      // 'deleted': another delete began; finish it (the loop reads it as deleted).
      if (attempt >= 5) throw new ConflictError(`List ${id} kept changing while it was being deleted; try again. Nothing was changed.`);
    }
  }

  /**
   * The list's parts now, with newsletter `newsletterId` registered as reading them (in the same
   * compare-and-set): a delete or a subscriber change then waits for it to settle. Parts are never
   * changed once written, so the names are a consistent snapshot: imports that finish later do not
   * join this newsletter. 404 unknown, 409 empty.
   */
  async snapshot(id: string, caller: Caller, newsletterId: string, field = 'listId'): Promise<ListSnapshot> {
    const current = await this.records.get(id);
    if (!current || tenantOf(current) !== caller.tenant) throw new NotFoundError(`No list with id ${id}`, field);
    if (current.subscribers === 0) {
      throw new ConflictError(`List ${id} has no subscribers yet: import some (POST /v1/lists/${id}/subscribers) first`, field);
    }
    const record = await this.records.registerSend(id, newsletterId);
    if (!record) throw new NotFoundError(`No list with id ${id}`, field);
    return { listId: id, parts: partsOf(record), subscribers: record.subscribers };
  }

  /** The caller's list: 404 when missing, deleted, or another tenant's. */
  async own(id: string, caller: Caller): Promise<ListRecord> {
    const record = await this.records.get(id);
    if (!record || tenantOf(record) !== caller.tenant) throw new NotFoundError(`No list with id ${id}`);
    return record;
  }

  private async removeParts(record: ListRecord, caller: Caller): Promise<DeletedList> {
    const objects = record.imports.flatMap((entry) => (entry.object ? [entry.object] : []));
    await this.unavailableOnFailure(async () => {
      for (const object of objects) await this.parts.delete(object);
      await this.records.purge(record.id);
    }, 'The list is deleted, but not all of its stored parts could be removed yet; DELETE it again to finish.');
    this.logger.log({ listId: record.id, caller: caller.keyName, tenant: caller.tenant, parts: objects.length }, 'List deleted');
    return { id: record.id, name: record.name, subscribers: record.subscribers, parts: objects.length };
  }

  private async unavailableOnFailure<T>(work: () => Promise<T>, message = 'Subscriber lists are unavailable right now; nothing was changed. Try again.'): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new ServiceUnavailableError(message, undefined, { cause: error });
    }
  }
}
