import { readFileSync } from 'node:fs';
import { checkSubscriber, csvFields, isBlankCsvLine, subscriberColumns, subscriberFromFields, type Recipient, type RowResult } from '@mailroom/contracts';

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
 * every other column a merge field (`vars`, as a subscriber list's custom columns are); or a plain
 * list with one address per line. A CSV is read exactly as the gateway's list import reads it:
 * the same dialect (`csvFields`: a record is one line, so a broken line costs that line only),
 * the same header rule (`subscriberColumns`: a column named twice, `email` included, a bad
 * merge-field name or too many custom columns refuse the whole file) and the same row rule
 * (`subscriberFromFields`: too many fields, a bad address, a name with a line break or control
 * character, merge fields over the limits). A row that fails is reported with its line and left
 * out, so one bad row does not refuse the whole send (`--strict` refuses instead); every row kept
 * is one the gateway accepts as an inline recipient. Blank lines (only blanks and commas) are
 * skipped.
 *
 * The first non-blank line decides the format: it is a CSV header when it holds a comma or is
 * `email` (a bare address never holds a comma, so such a line cannot be one), else the file is
 * a plain list.
 */
export function readRecipients(path: string): RecipientsFile {
  const lines = readTextFile(path).split(/\r?\n/);
  const first = lines.findIndex((line) => !isBlankCsvLine(line));
  if (first === -1) return { recipients: [], problems: [], dataLines: 0 };
  const head = lines[first]!;
  const isCsv = head.includes(',') || head.trim().toLowerCase() === 'email';
  return isCsv ? readCsv(lines, first) : readPlainList(lines);
}

function readPlainList(lines: readonly string[]): RecipientsFile {
  const recipients: Recipient[] = [];
  const problems: RowProblem[] = [];
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    take(checkSubscriber(raw.trim(), undefined, undefined), index + 1, recipients, problems);
  });
  return { recipients, problems, dataLines: recipients.length + problems.length };
}

function readCsv(lines: readonly string[], headerIndex: number): RecipientsFile {
  const header = csvFields(lines[headerIndex]!);
  if ('error' in header) throw new InputFileError(`CSV header row (line ${headerIndex + 1}): ${header.error}`);
  const columns = subscriberColumns(header);
  if ('error' in columns) throw new InputFileError(`CSV header row (line ${headerIndex + 1}): ${columns.error}`);
  const recipients: Recipient[] = [];
  const problems: RowProblem[] = [];
  for (let index = headerIndex + 1; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (isBlankCsvLine(line)) continue;
    const fields = csvFields(line);
    const row = 'error' in fields ? { ok: false as const, reason: fields.error } : subscriberFromFields(columns, fields);
    take(row, index + 1, recipients, problems);
  }
  return { recipients, problems, dataLines: recipients.length + problems.length };
}

function take(row: RowResult, line: number, recipients: Recipient[], problems: RowProblem[]): void {
  if (row.ok) recipients.push(row.subscriber);
  else problems.push({ line, reason: row.reason });
}
