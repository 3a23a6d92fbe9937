import type { PageRequest, PagedMessage } from '../storage/stream-pager';

/*
 * Paging through a KV bucket in the order its entries were written, by reading the bucket's own
 * stream: nats.js has no paged KV listing, and `keys()` or `history()` would read everything.
 * The stream of bucket B is `KV_B`, an entry of key K has subject `$KV.B.K`, and a delete or
 * purge is a message with a `KV-Operation` header (and no data).
 */

const decoder = new TextDecoder();

/** The stream and subject filter of bucket `bucket`'s entries whose key matches `keyFilter` (KV wildcards). */
export function kvPageRequest(bucket: string, keyFilter: string, after: number, limit: number): PageRequest {
  return { stream: kvStreamName(bucket), filterSubject: `$KV.${bucket}.${keyFilter}`, after, limit };
}

/** The name of the stream that holds bucket `bucket`. */
export function kvStreamName(bucket: string): string {
  return `KV_${bucket}`;
}

/** The entry's JSON value; undefined for a delete or purge marker (left out of the page). */
export function kvPageValue<T>(message: PagedMessage): T | undefined {
  const operation = message.headers?.get('KV-Operation');
  if (operation === 'DEL' || operation === 'PURGE' || message.data.length === 0) return undefined;
  return JSON.parse(decoder.decode(message.data)) as T;
}
