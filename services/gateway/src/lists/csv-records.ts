/** One CSV record (its fields) or why the record at `line` could not be read. */
export type CsvRecord =
  | { readonly line: number; readonly fields: string[]; readonly error?: undefined }
  | { readonly line: number; readonly error: string; readonly fields?: undefined };

export interface CsvLimits {
  /** Physical lines one record (a quoted field with line breaks) may span. */
  readonly maxRecordLines: number;
  readonly maxRecordChars: number;
}

interface Pending {
  readonly line: number;
  readonly lines: string[];
  chars: number;
  readonly fields: string[];
  field: string;
}

const QUOTE = 34;

/**
 * RFC 4180 records from numbered lines: comma-separated fields, double-quoted fields with `""`
 * for a quote and line breaks inside, a quote inside an unquoted field taken literally. Blank
 * lines are skipped. A record is reported at the line it starts on.
 *
 * Written for untrusted million-row uploads, where one broken row must cost that row only:
 * text after a closing quote rejects the record (reading goes on with the next line), and a
 * quote left open rejects only the line that opened it once the record reaches its limits or the
 * input ends, after which the lines it swallowed are read again. (csv-parse 7.0.3, tried first,
 * drops every row after an unclosed quote even with `skip_records_with_error`, and throws a
 * TypeError when such a record passes `max_record_size`.)
 */
export class CsvRecordReader {
  private pending: Pending | null = null;

  constructor(
    private readonly emit: (record: CsvRecord) => void,
    private readonly limits: CsvLimits,
  ) {}

  line(text: string, lineNumber: number): void {
    const pending = this.pending;
    if (pending) {
      pending.lines.push(text);
      pending.chars += text.length + 1;
      pending.field += '\n';
      this.continueRecord(pending, text);
      return;
    }
    if (text.indexOf('"') === -1) {
      // The common case: no quoting at all.
      if (text.trim() !== '') this.emit({ line: lineNumber, fields: text.split(',') });
      return;
    }
    this.continueRecord({ line: lineNumber, lines: [text], chars: text.length, fields: [], field: '' }, text, 0, false);
  }

  /** A line too long to keep: ends any open record, then is reported itself. */
  overflow(lineNumber: number, reason: string): void {
    this.closeOpenRecords();
    this.emit({ line: lineNumber, error: reason });
  }

  end(): void {
    this.closeOpenRecords();
  }

  private continueRecord(record: Pending, text: string, from = 0, inQuotes = true): void {
    const result = parseFields(text, from, record, inQuotes);
    if (result === 'done') {
      this.pending = null;
      this.emit({ line: record.line, fields: record.fields });
    } else if (result === 'open') {
      this.pending = record;
      if (record.lines.length >= this.limits.maxRecordLines || record.chars > this.limits.maxRecordChars) this.closeOpenRecords();
    } else {
      this.pending = null;
      this.emit({ line: record.line, error: result.error });
    }
  }

  /** Rejects the line that opened a quote never closed, and reads the lines after it again. */
  private closeOpenRecords(): void {
    while (this.pending) {
      const { line, lines } = this.pending;
      this.pending = null;
      this.emit({ line, error: 'invalid quoting: a quoted field is never closed' });
      lines.slice(1).forEach((text, i) => this.line(text, line + 1 + i));
    }
  }
}

/**
 * Reads fields from `text` starting at `from` into `record` (`inQuotes`: continuing a quoted
 * field from the line before). 'open' when the line ends inside a quoted field.
 */
function parseFields(text: string, from: number, record: Pending, inQuotes: boolean): 'done' | 'open' | { error: string } {
  let i = from;
  let quoted = inQuotes;
  for (;;) {
    if (quoted) {
      const quote = text.indexOf('"', i);
      if (quote === -1) {
        record.field += text.slice(i);
        return 'open';
      }
      record.field += text.slice(i, quote);
      if (text.charCodeAt(quote + 1) === QUOTE) {
        record.field += '"';
        i = quote + 2;
        continue;
      }
      quoted = false;
      i = skipBlanks(text, quote + 1);
      record.fields.push(record.field);
      record.field = '';
      if (i === text.length) return 'done';
      if (text[i] !== ',') return { error: 'invalid quoting: text after a closing quote' };
      i += 1;
      continue;
    }
    // A new field starts at i; blanks before an opening quote are allowed (`a, "b"`).
    const start = skipBlanks(text, i);
    if (text.charCodeAt(start) === QUOTE) {
      quoted = true;
      i = start + 1;
      continue;
    }
    const comma = text.indexOf(',', i);
    if (comma === -1) {
      record.fields.push(text.slice(i));
      return 'done';
    }
    record.fields.push(text.slice(i, comma));
    i = comma + 1;
  }
}

function skipBlanks(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i += 1;
  return i;
}
