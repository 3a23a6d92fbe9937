import { checkSubscriber, reject, type RowResult } from './subscriber-checks';
import type { SubscriberColumns } from './subscriber-columns';

/**
 * One CSV record as a subscriber. Fields are trimmed; empty custom fields are left out. Missing
 * trailing fields count as empty; extra fields are refused unless they are empty (a trailing
 * comma). A line of empty fields never gets here: the parser counts it as blank.
 */
export function subscriberFromFields(columns: SubscriberColumns, fields: readonly string[]): RowResult {
  if (fields.length > columns.count) {
    for (let i = columns.count; i < fields.length; i += 1) {
      if (fields[i]!.trim() !== '') return reject(`has ${fields.length} fields, but the header has ${columns.count}`);
    }
  }
  const email = (fields[columns.email] ?? '').trim();
  const name = columns.name === -1 ? undefined : (fields[columns.name] ?? '').trim();
  let vars: Record<string, string> | undefined;
  for (const column of columns.vars) {
    const value = (fields[column.index] ?? '').trim();
    if (value === '') continue;
    vars ??= {};
    // Column names were checked at the header (no __proto__ and the like): plain assignment is safe.
    vars[column.name] = value;
  }
  return checkSubscriber(email, name, vars);
}
