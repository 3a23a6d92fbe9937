import { ValidationFailedError } from '../http/api-errors';

/**
 * Opaque page cursors of the list routes (base64url JSON): where the previous page ended, so the
 * next one starts after it whatever was added meanwhile.
 */

/** After this list in the index order (created first, then id). */
export interface ListIndexCursor {
  readonly createdAt: string;
  readonly id: string;
}

/** After `offset` subscribers of import `importId`'s part (parts in import order, then lines in part order). */
export interface SubscriberCursor {
  readonly importId: string;
  readonly offset: number;
}

export function encodeCursor(cursor: ListIndexCursor | SubscriberCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ValidationFailedError('cursor must be the `next` of a previous page', 'cursor');
}

export function decodeListIndexCursor(cursor: string): ListIndexCursor {
  const { createdAt, id } = decode(cursor);
  if (typeof createdAt !== 'string' || typeof id !== 'string') throw new ValidationFailedError('cursor must be the `next` of a previous page of lists', 'cursor');
  return { createdAt, id };
}

export function decodeSubscriberCursor(cursor: string): SubscriberCursor {
  const { importId, offset } = decode(cursor);
  if (typeof importId !== 'string' || typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new ValidationFailedError('cursor must be the `next` of a previous page of subscribers', 'cursor');
  }
  return { importId, offset };
}

/** The index order of lists: oldest first, ties broken by id, so a page never repeats or skips one. */
export function compareLists(a: ListIndexCursor, b: ListIndexCursor): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One page of `items` (sorted by compareLists) after `after`, and the cursor of the next page (null: the last). */
export function pageAfter<T extends ListIndexCursor>(items: readonly T[], after: ListIndexCursor | undefined, limit: number): { items: T[]; next: string | null } {
  const sorted = [...items].sort(compareLists);
  const start = after === undefined ? 0 : sorted.findIndex((item) => compareLists(item, after) > 0);
  const from = start === -1 ? sorted.length : start;
  const page = sorted.slice(from, from + limit);
  const last = page[page.length - 1];
  const more = from + limit < sorted.length;
  return { items: page, next: more && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}
