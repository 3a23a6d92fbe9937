import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { tenantOf } from '@mailroom/contracts';
import { ListRecords, partsOf } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { ConflictError, NotFoundError } from '../http/api-errors';
import { toListView, type ListView } from './list-view';

/** What a newsletter to a list reads: the list's parts as they are now, in order. */
export interface ListSnapshot {
  readonly listId: string;
  readonly parts: string[];
  readonly subscribers: number;
}

/** Creating and reading subscriber lists, and the snapshot a newsletter to a list is sent from. */
@Injectable()
export class ListsService {
  private readonly logger = new Logger(ListsService.name);

  constructor(private readonly records: ListRecords) {}

  async create(name: string, caller: Caller): Promise<ListView> {
    const record = await this.records.create(randomUUID(), name, caller.tenant);
    this.logger.log({ listId: record.id, caller: caller.keyName, tenant: caller.tenant }, 'List created');
    return toListView(record);
  }

  /** The list; 404 when it does not exist or belongs to another tenant (the same answer). */
  async get(id: string, caller: Caller): Promise<ListView> {
    const record = await this.records.get(id);
    if (!record || tenantOf(record) !== caller.tenant) throw new NotFoundError(`No list with id ${id}`);
    return toListView(record);
  }

  /**
   * The list's parts now. Parts are never changed once written, so the names are a consistent
   * snapshot: imports that finish later do not join this newsletter. 404 unknown, 409 empty.
   */
  async snapshot(id: string, caller: Caller, field = 'listId'): Promise<ListSnapshot> {
    const record = await this.records.get(id);
    if (!record || tenantOf(record) !== caller.tenant) throw new NotFoundError(`No list with id ${id}`, field);
    if (record.subscribers === 0) {
      throw new ConflictError(`List ${id} has no subscribers yet: import some (POST /v1/lists/${id}/subscribers) first`, field);
    }
    return { listId: id, parts: partsOf(record), subscribers: record.subscribers };
  }
}
