import { RECIPIENT_VARS_LIMITS, checkVarName } from '@mailroom/contracts';
import { ValidationFailedError } from '../http/api-errors';

/** Where a CSV's columns are: `email` (required), `name` (optional), the rest become vars. */
export interface SubscriberColumns {
  readonly email: number;
  /** -1 when there is no name column. */
  readonly name: number;
  readonly vars: ReadonlyArray<{ readonly index: number; readonly name: string }>;
  readonly count: number;
}

const headerError = (message: string) => new ValidationFailedError(`CSV header row: ${message}`, 'body');

/**
 * Reads the header row. `email` and `name` are matched without regard to case; every other
 * named column becomes a merge field of that name (trimmed, as written); unnamed columns (a
 * trailing comma) are ignored. A header that cannot work refuses the whole import.
 */
export function columnsFromHeader(fields: readonly string[]): SubscriberColumns {
  let email = -1;
  let name = -1;
  const vars: Array<{ index: number; name: string }> = [];
  const seen = new Set<string>();
  fields.forEach((raw, index) => {
    const column = raw.trim();
    if (column === '') return;
    if (seen.has(column.toLowerCase())) throw headerError(`column "${column.slice(0, 64)}" appears twice`);
    seen.add(column.toLowerCase());
    if (column.toLowerCase() === 'email') email = index;
    else if (column.toLowerCase() === 'name') name = index;
    else {
      const problem = checkVarName(column);
      if (problem) throw headerError(`column name "${column.slice(0, 64)}" ${problem}`);
      vars.push({ index, name: column });
    }
  });
  if (email === -1) throw headerError('needs an "email" column (the first line names the columns, e.g. "email,name,city")');
  if (vars.length > RECIPIENT_VARS_LIMITS.maxEntries) {
    throw headerError(`at most ${RECIPIENT_VARS_LIMITS.maxEntries} custom columns besides email and name (found ${vars.length})`);
  }
  return { email, name, vars, count: fields.length };
}
