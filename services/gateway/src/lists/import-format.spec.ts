import { importFormatOf } from './import-format';

describe('importFormatOf', () => {
  it.each([
    ['text/csv', undefined, 'csv', 'utf-8'],
    ['text/csv; charset=utf-8', undefined, 'csv', 'utf-8'],
    ['TEXT/CSV;charset="UTF-8"', 'identity', 'csv', 'utf-8'],
    ['text/csv; charset=ISO-8859-1', undefined, 'csv', 'windows-1252'],
    ['text/csv; charset=windows-1252', undefined, 'csv', 'windows-1252'],
    ['application/x-ndjson', undefined, 'ndjson', 'utf-8'],
    ['application/ndjson; charset=utf8', undefined, 'ndjson', 'utf-8'],
  ])('%s (encoding %s) is %s in %s', (type, encoding, format, charset) => {
    expect(importFormatOf(type, encoding)).toEqual({ format, charset });
  });

  it.each([
    ['application/json', undefined, /not "application\/json"/],
    [undefined, undefined, /not a body without Content-Type/],
    ['text/csv; charset=utf-16', undefined, /must be UTF-8, ISO-8859-1, windows-1252 or ISO-8859-15 \(charset=utf-16/],
    ['text/csv', 'gzip', /Content-Encoding: gzip is not supported/],
  ])('refuses %s (encoding %s) with 415', (type, encoding, message) => {
    let thrown: unknown;
    try {
      importFormatOf(type, encoding);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect((thrown as Error).message).toMatch(message);
  });
});
