import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface RecipientRow {
  readonly email: string;
  readonly name?: string;
}

/**
 * Reads a recipients file: a CSV with a header row naming an `email` column (and optionally
 * `name`), or a plain list with one address per line. Blank lines are skipped; the addresses
 * themselves are checked by Mailroom (invalid ones are reported as failed, not dropped here).
 */
export function readRecipients(path: string): RecipientRow[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const header = firstLine.split(',').map((h) => h.trim().toLowerCase());
  if (!header.includes('email')) {
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((email) => ({ email }));
  }
  const rows = parse<Record<string, string | undefined>>(text, {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
  });
  return rows
    .filter((row) => row['email'])
    .map((row) => (row['name'] ? { email: row['email']!, name: row['name'] } : { email: row['email']! }));
}
