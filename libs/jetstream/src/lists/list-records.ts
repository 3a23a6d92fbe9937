import { Inject, Injectable } from '@nestjs/common';
import { tenantOf } from '@mailroom/contracts';
import { JetStreamConnection } from '../connection/jetstream-connection';
import type { Stores } from '../provisioning/provision-topology';
import { casUpdate } from '../storage/cas-update';
import { pageStream } from '../storage/stream-pager';
import { kvPageRequest, kvPageValue, kvStreamName } from '../stores/kv-pages';
import { STORES_TOKEN } from '../stores/stores.token';
import {
  claimImport,
  commitImport,
  commitRewrite,
  isDeleted,
  markDeleted,
  newListRecord,
  registerSend,
  releaseImport,
  renameList,
  touchImport,
  type ListImportEntry,
  type ListRecord,
  type PartRewrite,
  type Refusal,
} from './list-record';

/** What a guarded change did: the record after it, or why it was refused (`missing`: no such list). */
export type GuardedChange = { readonly ok: true; readonly record: ListRecord } | { readonly ok: false; readonly reason: Refusal | 'missing' };

/**
 * Subscriber lists (KV bucket `<ns>-lists`, key = list id, value = JSON ListRecord v1; never
 * expire). Only the gateway writes them; every change after creation is one of the transitions of
 * list-record, made with revision CAS. The subscribers themselves are in the list-parts object
 * store (ListPartsStore), one part per import, named by `listPartObject` (or `rewrittenPartObject`
 * once a subscriber of it was changed or removed).
 */
@Injectable()
export class ListRecords {
  constructor(
    @Inject(STORES_TOKEN) private readonly stores: Stores,
    private readonly nats: JetStreamConnection,
  ) {}

  /** The list; null when missing or deleted (a delete that began is final). */
  async get(id: string): Promise<ListRecord | null> {
    const record = await this.getStored(id);
    return record && !isDeleted(record) ? record : null;
  }

  /** The list as stored, deleted or not. */
  async getStored(id: string): Promise<ListRecord | null> {
    const entry = await this.stores.lists.get(id);
    return entry && entry.operation === 'PUT' ? entry.json<ListRecord>() : null;
  }

  /**
   * Every list of `tenant` that is not deleted, read from the bucket's stream a page at a time
   * (one pass over all lists: the bucket has no index by tenant).
   */
  async allOf(tenant: string, pageSize = 1000): Promise<ListRecord[]> {
    const bucket = this.nats.topology.buckets.lists;
    const found: ListRecord[] = [];
    const { state } = await this.nats.jsm.streams.info(kvStreamName(bucket));
    if (state.messages === 0) return found;
    let after = 0;
    while (after < state.last_seq) {
      const page = await pageStream(this.nats.js, kvPageRequest(bucket, '*', after, pageSize), (message) => kvPageValue<ListRecord>(message));
      for (const record of page.items) if (!isDeleted(record) && tenantOf(record) === tenant) found.push(record);
      if (page.next === null) break;
      after = page.next;
    }
    return found;
  }

  /** A new, empty list. */
  async create(id: string, name: string, tenant?: string): Promise<ListRecord> {
    const record = newListRecord(id, name, new Date(), tenant);
    await this.stores.lists.create(record.id, JSON.stringify(record));
    return record;
  }

  /** The list renamed; null when missing or deleted. */
  async rename(id: string, name: string): Promise<ListRecord | null> {
    const result = await casUpdate<ListRecord>(this.stores.lists, id, (record) => renameList(record, name, new Date()));
    if (result.kind === 'missing' || isDeleted(result.value)) return null;
    return result.value;
  }

  /**
   * Registers a newsletter as reading the list's parts, and returns the list as registered (its
   * parts are what the newsletter reads); null when the list is missing or deleted.
   */
  async registerSend(id: string, newsletterId: string): Promise<ListRecord | null> {
    const result = await casUpdate<ListRecord>(this.stores.lists, id, (record) => registerSend(record, newsletterId, new Date()));
    if (result.kind === 'missing' || isDeleted(result.value)) return null;
    return result.value;
  }

  /** Marks the list deleted unless a newsletter other than `checked` was sent to it, or an import runs. */
  markDeleted(id: string, checked: ReadonlySet<string>, staleAfterMs: number): Promise<GuardedChange> {
    return this.guarded(id, (record) => markDeleted(record, checked, new Date(), staleAfterMs));
  }

  /** Removes a deleted list's record (its parts removed before). */
  async purge(id: string): Promise<void> {
    await this.stores.lists.purge(id);
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

  /** Puts a rewritten part in place (the change held the list as an import does) unless a newsletter other than `checked` was sent meanwhile. */
  commitRewrite(listId: string, rewrite: PartRewrite, checked: ReadonlySet<string>): Promise<GuardedChange> {
    return this.guarded(listId, (record) => commitRewrite(record, rewrite, checked, new Date()));
  }

  /** The stored record after the change, or null when the list is missing or `change` declined. */
  private async update(id: string, change: (current: ListRecord) => ListRecord | null): Promise<ListRecord | null> {
    const result = await casUpdate<ListRecord>(this.stores.lists, id, change);
    return result.kind === 'updated' ? result.value : null;
  }

  private async guarded(id: string, change: (current: ListRecord) => ListRecord | Refusal): Promise<GuardedChange> {
    let refusal: Refusal | undefined;
    const result = await casUpdate<ListRecord>(this.stores.lists, id, (record) => {
      const next = change(record);
      refusal = typeof next === 'string' ? next : undefined;
      return typeof next === 'string' ? null : next;
    });
    if (result.kind === 'missing') return { ok: false, reason: 'missing' };
    if (result.kind === 'unchanged') return { ok: false, reason: refusal ?? 'deleted' };
    return { ok: true, record: result.value };
  }
}
