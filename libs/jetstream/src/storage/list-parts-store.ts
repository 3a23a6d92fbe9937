import { ContentStore } from './content-store';

/**
 * The list-parts object store (each subscriber list's parts: one NDJSON object per import, never
 * expiring) with the content store's reading and writing. Parts are read at the reader's pace
 * (a million-row part is tens of MB). A class of its own so it can be injected beside the
 * content store.
 */
export class ListPartsStore extends ContentStore {}
