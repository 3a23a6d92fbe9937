import { importFormatOf } from './import-format';

describe('importFormatOf', () => {
  it.each([
    ['text/csv', undefined, 'csv'],
    ['text/csv; charset=utf-8', undefined, 'csv'],
    ['TEXT/CSV;charset="UTF-8"', 'identity', 'csv'],
    ['application/x-ndjson', undefined, 'ndjson'],
    ['application/ndjson; charset=utf8', undefined, 'ndjson'],
  ])('%s (encoding %s) is %s', (type, encoding, format) => {
    expect(importFormatOf(type, encoding)).toBe(format);
  });

  it.each([
    ['application/json', undefined, /not "application\/json"/],
    [undefined, undefined, /not a body without Content-Type/],
    ['text/csv; charset=latin1', undefined, /must be UTF-8/],
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
