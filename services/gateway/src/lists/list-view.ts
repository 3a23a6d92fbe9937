import type { ListRecord } from '@mailroom/jetstream';

/** A list as the API shows it. */
export interface ListView {
  readonly id: string;
  readonly name: string;
  readonly subscribers: number;
  readonly imports: ReadonlyArray<{
    readonly id: string;
    readonly format: string;
    readonly accepted: number;
    readonly rejected: number;
    readonly duplicates: number;
    readonly bytes: number;
    readonly importedAt: string;
  }>;
  /** An import is running right now. */
  readonly importing: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toListView(record: ListRecord): ListView {
  return {
    id: record.id,
    name: record.name,
    subscribers: record.subscribers,
    imports: record.imports.map(({ id, format, accepted, rejected, duplicates, bytes, importedAt }) => ({
      id,
      format,
      accepted,
      rejected,
      duplicates,
      bytes,
      importedAt,
    })),
    importing: record.importing !== null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
