import { ValidationFailedError } from '../http/api-errors';
import { CsvRecordReader, type CsvRecord } from './csv-records';
import { subscriberFromFields } from './csv-row';
import type { LineSink } from './line-splitter';
import { subscriberFromJson } from './ndjson-row';
import { columnsFromHeader, type SubscriberColumns } from './subscriber-columns';
import type { SubscriberSink } from './subscriber-sink';

/** Longest line (and CSV record) an import reads; a row is far shorter (address, name, vars). */
export const MAX_LINE_CHARS = 64 * 1024;
/** Physical lines one CSV record may span (line breaks inside quoted fields). */
export const MAX_RECORD_LINES = 50;

const tooLong = `line longer than ${MAX_LINE_CHARS} characters`;

/** Turns numbered lines into subscribers for a sink; `end` once the body has been read. */
export interface RowParser extends LineSink {
  end(): void;
}

/** CSV: the first non-blank record is the header, every later one a subscriber. */
export class CsvRowParser implements RowParser {
  private columns: SubscriberColumns | null = null;
  private readonly records: CsvRecordReader;

  constructor(private readonly sink: SubscriberSink) {
    this.records = new CsvRecordReader((record) => this.onRecord(record), {
      maxRecordLines: MAX_RECORD_LINES,
      maxRecordChars: MAX_LINE_CHARS,
    });
  }

  line(text: string, lineNumber: number): void {
    this.records.line(text, lineNumber);
  }

  overflow(lineNumber: number): void {
    this.records.overflow(lineNumber, tooLong);
  }

  end(): void {
    this.records.end();
    if (!this.columns) throw new ValidationFailedError('The CSV is empty: it needs a header row naming its columns, with an "email" column', 'body');
  }

  private onRecord(record: CsvRecord): void {
    if (!this.columns) {
      if (record.error !== undefined) throw new ValidationFailedError(`CSV header row (line ${record.line}): ${record.error}`, 'body');
      this.columns = columnsFromHeader(record.fields);
      return;
    }
    if (record.error !== undefined) return this.sink.reject(record.line, record.error);
    const result = subscriberFromFields(this.columns, record.fields);
    if (result) this.sink.offer(result, record.line);
  }
}

/** NDJSON: one JSON object per line; blank lines are skipped. */
export class NdjsonRowParser implements RowParser {
  private rows = 0;

  constructor(private readonly sink: SubscriberSink) {}

  line(text: string, lineNumber: number): void {
    if (text.trim() === '') return;
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
