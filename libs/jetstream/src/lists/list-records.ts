import { Inject, Injectable } from '@nestjs/common';
import type { Stores } from '../provisioning/provision-topology';
import { casUpdate } from '../storage/cas-update';
import { STORES_TOKEN } from '../stores/stores.token';
import { claimImport, commitImport, newListRecord, releaseImport, touchImport, type ListImportEntry, type ListRecord } from './list-record';

/**
 * Subscriber lists (KV bucket `<ns>-lists`, key = list id, value = JSON ListRecord v1; never
 * expire). Only the gateway writes them; every change after creation is one of the import
 * transitions of list-record, made with revision CAS. The subscribers themselves are in the
 * list-parts object store (ListPartsStore), one part per import, named by `listPartObject`.
 */
@Injectable()
export class ListRecords {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  async get(id: string): Promise<ListRecord | null> {
    const entry = await this.stores.lists.get(id);
    return entry && entry.operation === 'PUT' ? entry.json<ListRecord>() : null;
  }

  /** A new, empty list. */
  async create(id: string, name: string, tenant?: string): Promise<ListRecord> {
    const record = newListRecord(id, name, new Date(), tenant);
    await this.stores.lists.create(record.id, JSON.stringify(record));
    return record;
  }

  /** Starts import `importId` (taking over a stale one); null while another runs, or when the list is missing. */
  claimImport(listId: string, importId: string, staleAfterMs: number): Promise<ListRecord | null> {
    return this.update(listId, (record) => claimImport(record, importId, new Date(), staleAfterMs));
  }

  /** A heartbeat of the running import; null when it is no longer the one running. */
  touchImport(listId: string, importId: string): Promise<ListRecord | null> {
    return this.update(listId, (record) => touchImport(record, importId, new Date()));
  }

  /** Adds a finished import and ends it; null when it is no longer the one running (nothing added). */
  commitImport(listId: string, entry: ListImportEntry): Promise<ListRecord | null> {
    return this.update(listId, (record) => commitImport(record, entry, new Date()));
  }

  /** Ends a failed import without adding anything. */
  releaseImport(listId: string, importId: string): Promise<ListRecord | null> {
    return this.update(listId, (record) => releaseImport(record, importId, new Date()));
  }

  /** The stored record after the change, or null when the list is missing or `change` declined. */
  private async update(id: string, change: (current: ListRecord) => ListRecord | null): Promise<ListRecord | null> {
    const result = await casUpdate<ListRecord>(this.stores.lists, id, change);
    return result.kind === 'updated' ? result.value : null;
  }
}
