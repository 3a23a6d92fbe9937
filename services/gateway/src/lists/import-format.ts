import type { ListImportFormat } from '@mailroom/jetstream';
import { UnsupportedMediaTypeError } from '../http/api-errors';

export type ImportFormat = ListImportFormat;

const FORMATS: Readonly<Record<string, ImportFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

export const IMPORT_MEDIA_TYPES = 'text/csv or application/x-ndjson';

/**
 * The import's format from its Content-Type (UTF-8 only) and Content-Encoding (none: a
 * compressed body would bypass MAX_IMPORT_BYTES as it is counted on the wire).
 */
export function importFormatOf(contentType: string | undefined, contentEncoding: string | undefined): ImportFormat {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';');
  const format = FORMATS[mediaType.trim().toLowerCase()];
  if (!format) {
    throw new UnsupportedMediaTypeError(
      `Subscribers are imported as CSV (Content-Type: text/csv, a header row with an "email" column) or NDJSON (Content-Type: application/x-ndjson), not ${contentType ? `"${contentType.slice(0, 100)}"` : 'a body without Content-Type'}`,
    );
  }
  for (const parameter of parameters) {
    const [key = '', value = ''] = parameter.split('=').map((s) => s.trim().toLowerCase());
    if (key === 'charset' && value.replace(/^"|"$/g, '') !== 'utf-8' && value.replace(/^"|"$/g, '') !== 'utf8') {
      throw new UnsupportedMediaTypeError(`Imports must be UTF-8 (charset=${value.slice(0, 40)} is not supported)`);
    }
  }
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    throw new UnsupportedMediaTypeError(`Imports are read uncompressed (Content-Encoding: ${encoding.slice(0, 40)} is not supported)`);
  }
  return format;
}
