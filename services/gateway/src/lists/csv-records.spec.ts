import { CsvRecordReader, type CsvRecord } from './csv-records';

function read(lines: string[], limits = { maxRecordLines: 5, maxRecordChars: 1000 }): CsvRecord[] {
  const out: CsvRecord[] = [];
  const reader = new CsvRecordReader((record) => out.push(record), limits);
  lines.forEach((text, i) => reader.line(text, i + 1));
  reader.end();
  return out;
}

const ok = (line: number, ...fields: string[]) => ({ line, fields });
const bad = (line: number, error: string) => ({ line, error });

describe('CsvRecordReader', () => {
  it.each([
    ['plain fields', ['a,b,c'], [ok(1, 'a', 'b', 'c')]],
    ['empty fields and a trailing comma', ['a,,c,'], [ok(1, 'a', '', 'c', '')]],
    ['quoted fields with commas and doubled quotes', ['"a,b","say ""hi""",c'], [ok(1, 'a,b', 'say "hi"', 'c')]],
    ['an empty quoted field', ['"",x'], [ok(1, '', 'x')]],
    ['blanks around a quoted field', ['a, "b" ,c'], [ok(1, 'a', 'b', 'c')]],
    ['a quote inside an unquoted field is literal', ['ab"c,d'], [ok(1, 'ab"c', 'd')]],
    ['blank lines are skipped', ['a', '', '   ', 'b'], [ok(1, 'a'), ok(4, 'b')]],
    ['a quoted field over two lines is one record, at its first line', ['x', '"multi', 'line",y', 'z'], [ok(1, 'x'), ok(2, 'multi\nline', 'y'), ok(4, 'z')]],
    ['blank lines inside a quoted field belong to it', ['"a', '', 'b"'], [ok(1, 'a\n\nb')]],
  ])('%s', (_name, lines, expected) => {
    expect(read(lines)).toEqual(expected);
  });

  it('refuses text after a closing quote and reads on from the next line', () => {
    expect(read(['a,"b"x,c', 'd,e'])).toEqual([bad(1, 'invalid quoting: text after a closing quote'), ok(2, 'd', 'e')]);
  });

  it('rejects only the line that opened a quote never closed, and reads the lines after it again (at end of input)', () => {
    expect(read(['a,b', 'c,"open', 'd,e', 'f,g'])).toEqual([
      ok(1, 'a', 'b'),
      bad(2, 'invalid quoting: a quoted field is never closed'),
      ok(3, 'd', 'e'),
      ok(4, 'f', 'g'),
    ]);
  });

  it('gives up on an open quote after maxRecordLines lines and reads the swallowed lines again', () => {
    const lines = ['h', 'x,"open', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
    expect(read(lines, { maxRecordLines: 3, maxRecordChars: 1000 })).toEqual([
      ok(1, 'h'),
      bad(2, 'invalid quoting: a quoted field is never closed'),
      ok(3, 'r3'),
      ok(4, 'r4'),
      ok(5, 'r5'),
      ok(6, 'r6'),
      ok(7, 'r7'),
      ok(8, 'r8'),
    ]);
  });

  it('gives up on an open quote past maxRecordChars', () => {
    const out = read(['"open', 'x'.repeat(40), 'y'.repeat(40), 'next'], { maxRecordLines: 50, maxRecordChars: 60 });
    expect(out).toEqual([bad(1, 'invalid quoting: a quoted field is never closed'), ok(2, 'x'.repeat(40)), ok(3, 'y'.repeat(40)), ok(4, 'next')]);
  });

  it('reads a quote that closes on a later line followed by text as one broken record', () => {
    expect(read(['"a', '"b', 'c'])).toEqual([bad(1, 'invalid quoting: text after a closing quote'), ok(3, 'c')]);
  });

  it('closes an open record before reporting an over-long line', () => {
    const out: CsvRecord[] = [];
    const reader = new CsvRecordReader((r) => out.push(r), { maxRecordLines: 5, maxRecordChars: 1000 });
    reader.line('"open', 1);
    reader.line('b', 2);
    reader.overflow(3, 'too long');
    reader.line('c', 4);
    reader.end();
    expect(out).toEqual([bad(1, 'invalid quoting: a quoted field is never closed'), ok(2, 'b'), bad(3, 'too long'), ok(4, 'c')]);
  });
});
