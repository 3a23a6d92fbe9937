import type { AddressKeySet } from '@mailroom/contracts';
import { PayloadTooLargeError, ValidationFailedError } from '../http/api-errors';
import type { ImportEncoding } from './import-format';
import type { ImportReport } from './import-report';
import { LineSplitter, UndecodableLineError } from './line-splitter';
import { CsvRowParser, MAX_LINE_CHARS, NdjsonRowParser } from './row-parsers';
import { SubscriberSink } from './subscriber-sink';

export interface SubscriberChunksOptions {
  readonly encoding: ImportEncoding;
  /** The list's addresses so far; this import's accepted ones are added. */
  readonly seen: AddressKeySet;
  readonly report: ImportReport;
  /** MAX_IMPORT_BYTES: the body is refused (413) as soon as it grows past this. */
  readonly maxBytes: number;
}

/** Output is handed on in pieces of about this many characters (the object store cuts 128 KB chunks). */
const CHUNK_CHARS = 64 * 1024;

/**
 * An import body (CSV or NDJSON, UTF-8, streamed) in, the accepted subscribers out as NDJSON, a
 * piece at a time. Nothing waits for the whole body: a piece is handed on as soon as there is
 * one, and the next part of the body is read only when the consumer asks for more, so memory
 * holds about one body chunk and one output piece whatever the size of the upload.
 * Throws (400 or 413) when the body as a whole cannot be imported; bad rows only go to the report.
 * A line that is not valid in the body's charset (UTF-8 unless declared) refuses the whole import
 * (400 naming the line): a Latin-1 file read as UTF-8 would otherwise lose exactly its accented
 * rows, or store them garbled.
 */
export async function* subscriberChunks(body: AsyncIterable<Uint8Array>, options: SubscriberChunksOptions): AsyncGenerator<Uint8Array> {
  const sink = new SubscriberSink(options.seen, options.report);
  const { format, charset } = options.encoding;
  const parser = format === 'csv' ? new CsvRowParser(sink) : new NdjsonRowParser(sink);
  const lines = new LineSplitter(parser, MAX_LINE_CHARS, new TextDecoder(charset, { fatal: true, ignoreBOM: true }));
  const encoder = new TextEncoder();
  const report = options.report;
  try {
    for await (const chunk of body) {
      report.bytes += chunk.byteLength;
      if (report.bytes > options.maxBytes) {
        throw new PayloadTooLargeError(`The import is larger than the limit of ${options.maxBytes} bytes (MAX_IMPORT_BYTES); split it into several imports`);
      }
      lines.push(chunk);
      if (sink.bufferedChars >= CHUNK_CHARS) yield encoder.encode(sink.take());
    }
    lines.end();
  } catch (error) {
    if (!(error instanceof UndecodableLineError)) throw error;
    throw new ValidationFailedError(
      charset === 'utf-8'
        ? `Line ${error.lineNumber} is not valid UTF-8; nothing was imported. Save the file as UTF-8, or declare its charset (e.g. Content-Type: text/csv; charset=windows-1252)`
        : `Line ${error.lineNumber} is not valid ${charset}; nothing was imported`,
      'body',
    );
  }
  report.lines = lines.lines;
  parser.end();
  if (sink.bufferedChars > 0) yield encoder.encode(sink.take());
}
