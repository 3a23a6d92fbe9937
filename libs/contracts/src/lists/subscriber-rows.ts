// The rules a subscriber row passes, shared by the gateway's list import and the CLI's recipients
// file so that a row is kept, reported or refused the same way through either (with `csvFields`,
// the dialect both read).
import { normalizeAddress } from '../addresses/normalize-address';
import { RECIPIENT_NAME_MAX_LENGTH } from '../events/recipient';
import { RECIPIENT_VARS_LIMITS, checkRecipientVars, checkVarName } from '../events/recipient-vars';

/** One subscriber as a list part stores it (one NDJSON line): the address already normalised. */
export interface Subscriber {
  readonly email: string;
  readonly name?: string;
  readonly vars?: Record<string, string>;
}

export type RowResult = { readonly ok: true; readonly subscriber: Subscriber } | { readonly ok: false; readonly reason: string };

export const MAX_NAME_CHARS = RECIPIENT_NAME_MAX_LENGTH;

// The characters a newsletter's inline recipient names may not hold (the gateway's `IsSingleLine`):
// names end up in headers. A CR is one of them, so a stray `\r` inside a name is refused.
const LINE_BREAKING = /[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]/;

export const rejectRow = (reason: string): RowResult => ({ ok: false, reason });

/**
 * The checks every subscriber row passes, CSV or NDJSON: the address by the splitter's own rules
 * (`normalizeAddress`, whose result is also the de-duplication key), a one-line name of at most
 * MAX_NAME_CHARS, and merge fields within RECIPIENT_VARS_LIMITS. Empty names and vars are left out.
 * A row that passes is one a newsletter request accepts as an inline recipient.
 */
export function checkSubscriber(email: unknown, name: unknown, vars: Record<string, string> | undefined): RowResult {
  if (email === undefined || email === null || email === '') return rejectRow('email is missing');
  if (typeof email !== 'string') return rejectRow('email must be text');
  const address = normalizeAddress(email);
  if (!address.ok) return rejectRow(`invalid email: ${address.reason}`);

  let cleanName: string | undefined;
  if (name !== undefined && name !== null) {
    if (typeof name !== 'string') return rejectRow('name must be text');
    cleanName = name.trim();
    if (cleanName.length > MAX_NAME_CHARS) return rejectRow(`name is longer than ${MAX_NAME_CHARS} characters`);
    if (LINE_BREAKING.test(cleanName)) return rejectRow('name must not contain line breaks or control characters');
  }
  if (vars !== undefined) {
    const problem = checkRecipientVars(vars);
    if (problem) return rejectRow(`custom columns: ${problem}`);
  }
  const hasVars = vars !== undefined && Object.keys(vars).length > 0;
  return {
    ok: true,
    subscriber: {
      email: address.email,
      ...(cleanName ? { name: cleanName } : {}),
      ...(hasVars ? { vars } : {}),
    },
  };
}

/** Where a CSV's columns are: `email` (required), `name` (optional), the rest become vars. */
export interface SubscriberColumns {
  readonly email: number;
  /** -1 when there is no name column. */
  readonly name: number;
  readonly vars: ReadonlyArray<{ readonly index: number; readonly name: string }>;
  readonly count: number;
}

/**
 * Reads a CSV header row, or says why it cannot work (then the whole file is refused). `email`
 * and `name` are matched without regard to case; every other named column becomes a merge field
 * of that name (trimmed, as written); unnamed columns (a trailing comma) are ignored. A column
 * named twice (in any case, `email` included), a bad merge-field name, more custom columns than
 * RECIPIENT_VARS_LIMITS allows or no `email` column refuse the header.
 */
export function subscriberColumns(fields: readonly string[]): SubscriberColumns | { readonly error: string } {
  let email = -1;
  let name = -1;
  const vars: Array<{ index: number; name: string }> = [];
  const seen = new Set<string>();
  for (let index = 0; index < fields.length; index += 1) {
    const column = fields[index]!.trim();
    if (column === '') continue;
    const lower = column.toLowerCase();
    if (seen.has(lower)) return { error: `column "${column.slice(0, 64)}" appears twice` };
    seen.add(lower);
    if (lower === 'email') email = index;
    else if (lower === 'name') name = index;
    else {
      const problem = checkVarName(column);
      if (problem) return { error: `column name "${column.slice(0, 64)}" ${problem}` };
      vars.push({ index, name: column });
    }
  }
  if (email === -1) return { error: 'needs an "email" column (the first line names the columns, e.g. "email,name,city")' };
  if (vars.length > RECIPIENT_VARS_LIMITS.maxEntries) {
    return { error: `at most ${RECIPIENT_VARS_LIMITS.maxEntries} custom columns besides email and name (found ${vars.length})` };
  }
  return { email, name, vars, count: fields.length };
}

/**
 * One CSV record as a subscriber. Fields are trimmed; empty custom fields are left out. Missing
 * trailing fields count as empty; extra fields are refused unless they are empty (a trailing
 * comma). A line of empty fields should not get here: see `isBlankCsvLine`.
 */
export function subscriberFromFields(columns: SubscriberColumns, fields: readonly string[]): RowResult {
  if (fields.length > columns.count) {
    for (let i = columns.count; i < fields.length; i += 1) {
      if (fields[i]!.trim() !== '') return rejectRow(`has ${fields.length} fields, but the header has ${columns.count}`);
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

/** A CSV line that holds no row: nothing but spaces, tabs and commas (as spreadsheets export). */
export function isBlankCsvLine(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 44 && c !== 9) return false;
  }
  return true;
}
