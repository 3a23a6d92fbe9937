/** How an import's body was written. */
export type ListImportFormat = 'csv' | 'ndjson';

/** One finished import: its counts and the part it added (none when it accepted no one). */
export interface ListImportEntry {
  readonly id: string;
  /** The part's object in the list-parts store; null when the import accepted no one. */
  readonly object: string | null;
  readonly format: ListImportFormat;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  /** Size of the uploaded body. */
  readonly bytes: number;
  readonly importedAt: string;
}

/**
 * A subscriber list as stored (KV bucket `lists`, key = id). The subscribers themselves are in
 * the list-parts object store, one NDJSON object per import, in import order; the list is the
 * concatenation of its parts, unique by address because each import is checked against the
 * parts before it. Only the gateway writes it, with revision CAS.
 */
export interface ListRecord {
  readonly v: 1;
  readonly id: string;
  readonly name: string;
  /** Unique subscribers over all parts. */
  readonly subscribers: number;
  readonly imports: readonly ListImportEntry[];
  /**
   * The import running now. One at a time per list, so every import is de-duplicated against all
   * earlier ones; kept alive by its gateway, taken over once stale (a gateway that died).
   */
  readonly importing: { readonly id: string; readonly heartbeatAt: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The tenant of the key that created it; absent on lists from before tenants (`tenantOf`: the default tenant). */
  readonly tenant?: string;
  /**
   * The newsletters sent to this list, newest last (at most MAX_LIST_SENDS): registered in the same
   * compare-and-set that reads the parts a newsletter goes to, so a delete or a subscriber change
   * can tell whether a newsletter that has not settled still reads the parts. Absent on records
   * written before it (read as none).
   */
  readonly sends?: readonly ListSend[];
  /** Set when a delete began: the list is gone for every reader; its parts are being removed. */
  readonly deletedAt?: string;
}

/** A newsletter sent to a list, as the list remembers it. */
export interface ListSend {
  readonly newsletterId: string;
  readonly at: string;
}

/** How many newsletters a list remembers (the oldest are forgotten first). */
export const MAX_LIST_SENDS = 200;

/** The newsletters sent to the list (none on records from before `sends`). */
export function sendsOf(record: ListRecord): readonly ListSend[] {
  return record.sends ?? [];
}

/** Whether a delete of the list has begun (it is gone for every reader). */
export function isDeleted(record: ListRecord): boolean {
  return record.deletedAt !== undefined;
}

export function newListRecord(id: string, name: string, now: Date = new Date(), tenant?: string): ListRecord {
  const at = now.toISOString();
  return { v: 1, id, name, subscribers: 0, imports: [], importing: null, createdAt: at, updatedAt: at, ...(tenant !== undefined ? { tenant } : {}) };
}

/** Object name of one import's part in the list-parts store (a rewritten part: see `rewrittenPartObject`). */
export function listPartObject(listId: string, importId: string): string {
  return `lists/${listId}/${importId}.ndjson`;
}

/**
 * Object name of a part rewritten by change `changeId` (a subscriber updated or removed): a new
 * object, so a newsletter reading the old one is never given a part that changes under it.
 */
export function rewrittenPartObject(listId: string, importId: string, changeId: string): string {
  return `lists/${listId}/${importId}.${changeId}.ndjson`;
}

/** The list's parts in order: what a newsletter to this list reads. */
export function partsOf(record: ListRecord): string[] {
  return record.imports.flatMap((entry) => (entry.object ? [entry.object] : []));
}

/** The record with `importId` running, or null while another import is running (and not stale). */
export function claimImport(record: ListRecord, importId: string, now: Date, staleAfterMs: number): ListRecord | null {
  if (isDeleted(record)) return null;
  const current = record.importing;
  if (current && current.id !== importId && now.getTime() - Date.parse(current.heartbeatAt) < staleAfterMs) return null;
  const at = now.toISOString();
  return { ...record, importing: { id: importId, heartbeatAt: at }, updatedAt: at };
}

/** A newer heartbeat for the running import; null when `importId` is no longer the one running. */
export function touchImport(record: ListRecord, importId: string, now: Date): ListRecord | null {
  if (record.importing?.id !== importId) return null;
  return { ...record, importing: { id: importId, heartbeatAt: now.toISOString() } };
}

/** Adds a finished import and ends it; null when `entry.id` is no longer the import running. */
export function commitImport(record: ListRecord, entry: ListImportEntry, now: Date): ListRecord | null {
  if (record.importing?.id !== entry.id) return null;
  return {
    ...record,
    subscribers: record.subscribers + entry.accepted,
    imports: [...record.imports, entry],
    importing: null,
    updatedAt: now.toISOString(),
  };
}

/** Ends a failed import without adding anything; null when it was not running. */
export function releaseImport(record: ListRecord, importId: string, now: Date): ListRecord | null {
  if (record.importing?.id !== importId) return null;
  return { ...record, importing: null, updatedAt: now.toISOString() };
}

/** The record renamed; null when deleted or already so named. */
export function renameList(record: ListRecord, name: string, now: Date): ListRecord | null {
  if (isDeleted(record) || record.name === name) return null;
  return { ...record, name, updatedAt: now.toISOString() };
}

/**
 * The record with newsletter `newsletterId` registered as reading its parts now; null when the
 * list is deleted (or the newsletter is registered already). Keeps the newest MAX_LIST_SENDS.
 */
export function registerSend(record: ListRecord, newsletterId: string, now: Date): ListRecord | null {
  if (isDeleted(record) || sendsOf(record).some((s) => s.newsletterId === newsletterId)) return null;
  const sends = [...sendsOf(record), { newsletterId, at: now.toISOString() }].slice(-MAX_LIST_SENDS);
  return { ...record, sends };
}

/** Why a change that must not race a newsletter was refused. */
export type Refusal = 'deleted' | 'importing' | 'sent-meanwhile' | 'not-held';

/** True when every newsletter registered on the record is one of `checked` (nothing was sent to it since they were checked). */
function onlyChecked(record: ListRecord, checked: ReadonlySet<string>): boolean {
  return sendsOf(record).every((s) => checked.has(s.newsletterId));
}

/**
 * The record marked deleted, or why not: an import (or subscriber change) is running, or a
 * newsletter was sent to it after `checked` (the newsletters found settled) were looked at.
 */
export function markDeleted(record: ListRecord, checked: ReadonlySet<string>, now: Date, staleAfterMs: number): ListRecord | Refusal {
  if (isDeleted(record)) return 'deleted';
  if (record.importing && now.getTime() - Date.parse(record.importing.heartbeatAt) < staleAfterMs) return 'importing';
  if (!onlyChecked(record, checked)) return 'sent-meanwhile';
  const at = now.toISOString();
  return { ...record, importing: null, deletedAt: at, updatedAt: at };
}

/** A part rewritten by a subscriber change: which import's part, its new object (null: now empty), and how many subscribers fewer. */
export interface PartRewrite {
  readonly changeId: string;
  readonly importId: string;
  readonly object: string | null;
  readonly removed: number;
}

/**
 * Puts a rewritten part in place of the old one and ends the change (which held the list like an
 * import, `claimImport`), or why not: the change no longer holds the list, or a newsletter was
 * sent to it after `checked` were looked at (it may be reading the old part).
 */
export function commitRewrite(record: ListRecord, rewrite: PartRewrite, checked: ReadonlySet<string>, now: Date): ListRecord | Refusal {
  if (isDeleted(record)) return 'deleted';
  if (record.importing?.id !== rewrite.changeId) return 'not-held';
  if (!onlyChecked(record, checked)) return 'sent-meanwhile';
  return {
    ...record,
    subscribers: Math.max(0, record.subscribers - rewrite.removed),
    imports: record.imports.map((entry) => (entry.id === rewrite.importId ? { ...entry, object: rewrite.object } : entry)),
    importing: null,
    updatedAt: now.toISOString(),
  };
}
