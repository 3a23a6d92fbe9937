import type { AddressKeySet } from '@mailroom/contracts';
import { PayloadTooLargeError } from '../http/api-errors';
import type { ImportFormat } from './import-format';
import type { ImportReport } from './import-report';
import { LineSplitter } from './line-splitter';
import { CsvRowParser, MAX_LINE_CHARS, NdjsonRowParser } from './row-parsers';
import { SubscriberSink } from './subscriber-sink';

export interface SubscriberChunksOptions {
  readonly format: ImportFormat;
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
 */
export async function* subscriberChunks(body: AsyncIterable<Uint8Array>, options: SubscriberChunksOptions): AsyncGenerator<Uint8Array> {
  const sink = new SubscriberSink(options.seen, options.report);
  const parser = options.format === 'csv' ? new CsvRowParser(sink) : new NdjsonRowParser(sink);
  const lines = new LineSplitter(parser, MAX_LINE_CHARS);
  // Invalid UTF-8 becomes U+FFFD: such an address is refused by its row, not the whole import.
  // A leading byte-order mark is dropped (TextDecoder's default).
  const decoder = new TextDecoder('utf-8');
  const encoder = new TextEncoder();
  const report = options.report;
  for await (const chunk of body) {
    report.bytes += chunk.byteLength;
    if (report.bytes > options.maxBytes) {
      throw new PayloadTooLargeError(`The import is larger than the limit of ${options.maxBytes} bytes (MAX_IMPORT_BYTES); split it into several imports`);
    }
    lines.push(decoder.decode(chunk, { stream: true }));
    if (sink.bufferedChars >= CHUNK_CHARS) yield encoder.encode(sink.take());
  }
  lines.push(decoder.decode());
  lines.end();
  parser.end();
  if (sink.bufferedChars > 0) yield encoder.encode(sink.take());
}
