import { readFileSync } from 'node:fs';
import { checkRecipientVars, checkVarName, csvFields, normalizeAddress, RECIPIENT_NAME_MAX_LENGTH, type Recipient } from '@mailroom/contracts';

/** A row that was not read, with its line number in the file (1 = the first line). */
export interface RowProblem {
  readonly line: number;
  readonly reason: string;
}

export interface RecipientsFile {
  readonly recipients: Recipient[];
  readonly problems: RowProblem[];
  /** Lines that hold a row (not the header, not blank): recipients + problems. */
  readonly dataLines: number;
}

/** An input file cannot be used as a whole (missing, not UTF-8, a bad CSV header): nothing is sent. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
}

/** A file's text, strictly UTF-8 (a Latin-1 file would otherwise go out as "Jos\uFFFD"), without a byte-order mark. */
export function readTextFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputFileError(`${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new InputFileError(`${path} is not UTF-8 text (save it as UTF-8)`);
  }
}

/**
 * Reads a recipients file: a CSV with a header row naming an `email` column, optionally `name`,
 * every other column a merge field (`vars`, as a subscriber list's custom columns are), in the
 * gateway's CSV dialect (`csvFields`: a record is one line, so a broken line costs that line
 * only); or a plain list with one address per line. Each row is checked as the gateway would
 * check it; a row that fails is reported with its line and left out, so one bad row does not
 * refuse the whole send (`--strict` refuses instead). Blank lines are skipped.
 */
export function readRecipients(path: string): RecipientsFile {
  const lines = readTextFile(path).split(/\r?\n/);
  const header = csvFields(lines[0] ?? '');
  const isCsv = !('error' in header) && header.some((column) => column.trim().toLowerCase() === 'email');
  return isCsv ? readCsv(lines, header) : readPlainList(lines);
}

function readPlainList(lines: readonly string[]): RecipientsFile {
  const recipients: Recipient[] = [];
  const problems: RowProblem[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const address = normalizeAddress(line);
    if (address.ok) recipients.push({ email: address.email });
    else problems.push({ line: index + 1, reason: `"${line.slice(0, 80)}" is not a valid address: ${address.reason}` });
  });
  return { recipients, problems, dataLines: recipients.length + problems.length };
}

function readCsv(lines: readonly string[], header: readonly string[]): RecipientsFile {
  const columns = columnsOf(header);
  const recipients: Recipient[] = [];
  const problems: RowProblem[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (/^[\s,]*$/.test(line)) continue;
    const row = recipientOf(csvFields(line), columns);
    if ('reason' in row) problems.push({ line: index + 1, reason: row.reason });
    else recipients.push(row);
  }
  return { recipients, problems, dataLines: recipients.length + problems.length };
}

interface Columns {
  readonly email: number;
  readonly name: number;
  readonly vars: ReadonlyArray<{ readonly index: number; readonly name: string }>;
}

function columnsOf(header: readonly string[]): Columns {
  let email = -1;
  let name = -1;
  const vars: Array<{ index: number; name: string }> = [];
  header.forEach((raw, index) => {
    const column = raw.trim();
    if (column === '') return;
    const lower = column.toLowerCase();
    if (lower === 'email' && email === -1) email = index;
    else if (lower === 'name' && name === -1) name = index;
    else {
      const problem = checkVarName(column);
      if (problem) throw new InputFileError(`CSV header row: column name "${column.slice(0, 64)}" ${problem}`);
      if (vars.some((v) => v.name.toLowerCase() === lower) || lower === 'email' || lower === 'name') {
        throw new InputFileError(`CSV header row: column "${column.slice(0, 64)}" appears twice`);
      }
      vars.push({ index, name: column });
    }
  });
  return { email, name, vars };
}

function recipientOf(fields: ReturnType<typeof csvFields>, columns: Columns): Recipient | { reason: string } {
  if ('error' in fields) return { reason: fields.error };
  const rawEmail = (fields[columns.email] ?? '').trim();
  if (rawEmail === '') return { reason: 'no email' };
  const address = normalizeAddress(rawEmail);
  if (!address.ok) return { reason: `"${rawEmail.slice(0, 80)}" is not a valid address: ${address.reason}` };
  const name = columns.name === -1 ? '' : (fields[columns.name] ?? '').trim();
  if (name.length > RECIPIENT_NAME_MAX_LENGTH) return { reason: `name is longer than ${RECIPIENT_NAME_MAX_LENGTH} characters` };
  const vars: Record<string, string> = {};
  for (const column of columns.vars) {
    const value = (fields[column.index] ?? '').trim();
    if (value !== '') vars[column.name] = value;
  }
  const hasVars = Object.keys(vars).length > 0;
  if (hasVars) {
    const problem = checkRecipientVars(vars);
    if (problem) return { reason: `merge fields: ${problem}` };
  }
  return { email: address.email, ...(name !== '' ? { name } : {}), ...(hasVars ? { vars } : {}) };
}
