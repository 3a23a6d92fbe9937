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
}

export function newListRecord(id: string, name: string, now: Date = new Date(), tenant?: string): ListRecord {
  const at = now.toISOString();
  return { v: 1, id, name, subscribers: 0, imports: [], importing: null, createdAt: at, updatedAt: at, ...(tenant !== undefined ? { tenant } : {}) };
}

/** Object name of one import's part in the list-parts store. */
export function listPartObject(listId: string, importId: string): string {
  return `lists/${listId}/${importId}.ndjson`;
}

/** The list's parts in order: what a newsletter to this list reads. */
export function partsOf(record: ListRecord): string[] {
  return record.imports.flatMap((entry) => (entry.object ? [entry.object] : []));
}

/** The record with `importId` running, or null while another import is running (and not stale). */
export function claimImport(record: ListRecord, importId: string, now: Date, staleAfterMs: number): ListRecord | null {
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
