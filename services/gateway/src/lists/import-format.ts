import type { ListImportFormat } from '@mailroom/jetstream';
import { UnsupportedMediaTypeError } from '../http/api-errors';

export type ImportFormat = ListImportFormat;

/** How an import body is read: its format and the charset its bytes are decoded by. */
export interface ImportEncoding {
  readonly format: ImportFormat;
  /** WHATWG encoding name: 'utf-8' (the default), or a declared single-byte charset. */
  readonly charset: string;
}

const FORMATS: Readonly<Record<string, ImportFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

/**
 * The charsets an import may declare besides UTF-8: single-byte, ASCII-compatible ones (lines are
 * cut on the byte 0x0A before decoding). The WHATWG decoder reads ISO-8859-1 as its superset
 * windows-1252, as browsers do.
 */
const CHARSETS: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'iso-latin-1': 'windows-1252',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-15': 'iso-8859-15',
  latin9: 'iso-8859-15',
};

export const IMPORT_MEDIA_TYPES = 'text/csv or application/x-ndjson';

/**
 * The import's format and charset from its Content-Type (UTF-8 unless a charset from CHARSETS is
 * declared) and Content-Encoding (none: a compressed body would bypass MAX_IMPORT_BYTES as it is
 * counted on the wire).
 */
export function importFormatOf(contentType: string | undefined, contentEncoding: string | undefined): ImportEncoding {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';');
  const format = FORMATS[mediaType.trim().toLowerCase()];
  if (!format) {
    throw new UnsupportedMediaTypeError(
      `Subscribers are imported as CSV (Content-Type: text/csv, a header row with an "email" column) or NDJSON (Content-Type: application/x-ndjson), not ${contentType ? `"${contentType.slice(0, 100)}"` : 'a body without Content-Type'}`,
    );
  }
  let charset = 'utf-8';
  for (const parameter of parameters) {
    const [key = '', value = ''] = parameter.split('=').map((s) => s.trim().toLowerCase());
    if (key !== 'charset') continue;
    const declared = CHARSETS[value.replace(/^"|"$/g, '')];
    if (!declared) {
      throw new UnsupportedMediaTypeError(
        `Imports must be UTF-8, ISO-8859-1, windows-1252 or ISO-8859-15 (charset=${value.slice(0, 40)} is not supported); save the file as UTF-8`,
      );
    }
    charset = declared;
  }
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    throw new UnsupportedMediaTypeError(`Imports are read uncompressed (Content-Encoding: ${encoding.slice(0, 40)} is not supported)`);
  }
  return { format, charset };
}
