import { Inject, Injectable } from '@nestjs/common';
import { STORES, casUpdate, type Stores } from '@mailroom/jetstream';
import type { ListRecord } from './list-record';

/** The `lists` KV bucket: one JSON ListRecord per list id. */
@Injectable()
export class ListRecords {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async get(id: string): Promise<ListRecord | null> {
    const entry = await this.stores.lists.get(id);
    return entry && entry.operation === 'PUT' ? entry.json<ListRecord>() : null;
  }

  async create(record: ListRecord): Promise<void> {
    await this.stores.lists.create(record.id, JSON.stringify(record));
  }

  /**
   * Read-modify-write with revision CAS. `change` returns the new record, or null to leave it as
   * it is; the result is the stored record after the change, or null when the list is missing
   * or `change` declined.
   */
  async update(id: string, change: (current: ListRecord) => ListRecord | null): Promise<ListRecord | null> {
    const result = await casUpdate<ListRecord>(this.stores.lists, id, change);
    return result.kind === 'updated' ? result.value : null;
  }
}
