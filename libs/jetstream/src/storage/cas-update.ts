import type { KV } from '@nats-io/kv';
import { isWrongLastSequence } from './wrong-last-sequence';


/** What a read-modify-write did: nothing to change (`missing` record, or `unchanged`), or `updated`. */
export type RecordChange<T> =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unchanged'; readonly value: T }
  | { readonly kind: 'updated'; readonly value: T; readonly previous: T };

/**
 * Read-modify-write of a JSON value with revision compare-and-set: on a concurrent change the
 * read and the change are simply done again. `change` returns the new value, or null for "no
 * change"; it must be pure, because it may run more than once.
 */
export async function casUpdate<T>(
  kv: KV,
  key: string,
  change: (current: T) => T | null,
  maxAttempts = 25,
): Promise<RecordChange<T>> {
  for (let attempt = 1; ; attempt += 1) {
    const entry = await kv.get(key);
    if (!entry || entry.operation !== 'PUT') return { kind: 'missing' };
    const previous = entry.json<T>();
    const next = change(previous);
    if (next === null) return { kind: 'unchanged', value: previous };
    try {
      await kv.update(key, JSON.stringify(next), entry.revision);
      return { kind: 'updated', value: next, previous };
    } catch (error) {
      if (!isWrongLastSequence(error) || attempt >= maxAttempts) throw error;
    }
  }
}
