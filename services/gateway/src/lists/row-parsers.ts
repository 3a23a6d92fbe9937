import { csvFields, isBlankCsvLine as isBlank } from '@mailroom/contracts';
import { ValidationFailedError } from '../http/api-errors';
import { subscriberFromFields } from './csv-row';
import type { LineSink } from './line-splitter';
import { subscriberFromJson } from './ndjson-row';
import { columnsFromHeader, type SubscriberColumns } from './subscriber-columns';
import type { SubscriberSink } from './subscriber-sink';

/** Longest line an import reads; a row is far shorter (address, name, vars). */
export const MAX_LINE_CHARS = 64 * 1024;

const tooLong = `line longer than ${MAX_LINE_CHARS} characters`;

/** Turns numbered lines into subscribers for a sink; `end` once the body has been read. */
export interface RowParser extends LineSink {
  end(): void;
}

/**
 * CSV: the first non-blank line is the header, every later non-blank line one subscriber (a
 * record is one line: see `csvFields`). Blank lines (nothing but blanks and commas, as
 * spreadsheets export) are counted as blank, so every line is accounted for.
 */
export class CsvRowParser implements RowParser {
  private columns: SubscriberColumns | null = null;

  constructor(private readonly sink: SubscriberSink) {}

  line(text: string, lineNumber: number): void {
    if (isBlank(text)) return this.sink.blank();
    const fields = csvFields(text);
    if (!this.columns) {
      if (!Array.isArray(fields)) throw new ValidationFailedError(`CSV header row (line ${lineNumber}): ${fields.error}`, 'body');
      this.columns = columnsFromHeader(fields);
      this.sink.header();
      return;
    }
    if (!Array.isArray(fields)) return this.sink.reject(lineNumber, fields.error);
    this.sink.offer(subscriberFromFields(this.columns, fields), lineNumber);
  }

  overflow(lineNumber: number): void {
    if (!this.columns) throw new ValidationFailedError(`CSV header row (line ${lineNumber}): ${tooLong}`, 'body');
    this.sink.reject(lineNumber, tooLong);
  }

  end(): void {
    if (!this.columns) throw new ValidationFailedError('The CSV is empty: it needs a header row naming its columns, with an "email" column', 'body');
  }
}

/** NDJSON: one JSON object per line; blank lines are counted as blank. */
export class NdjsonRowParser implements RowParser {
  private rows = 0;

  constructor(private readonly sink: SubscriberSink) {}

  line(text: string, lineNumber: number): void {
    if (text.trim() === '') return this.sink.blank();
    this.rows += 1;
    this.sink.offer(subscriberFromJson(text), lineNumber);
  }

  overflow(lineNumber: number): void {
    this.rows += 1;
    this.sink.reject(lineNumber, tooLong);
  }

  end(): void {
    if (this.rows === 0) throw new ValidationFailedError('The body is empty: send one JSON object per line', 'body');
  }
}
