import { LineSplitter } from './line-splitter';

function split(chunks: string[], maxLineChars = 100) {
  const out: Array<[number, string]> = [];
  const splitter = new LineSplitter(
    { line: (text, n) => out.push([n, text]), overflow: (n) => out.push([n, '<too long>']) },
    maxLineChars,
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return { out, lines: splitter.lines };
}

describe('LineSplitter', () => {
  it.each([
    ['LF', ['a\nb\nc\n'], [[1, 'a'], [2, 'b'], [3, 'c']]],
    ['CRLF', ['a\r\nb\r\n'], [[1, 'a'], [2, 'b']]],
    ['no final newline', ['a\nb'], [[1, 'a'], [2, 'b']]],
    ['empty lines kept (numbering matches an editor)', ['a\n\n\nb\n'], [[1, 'a'], [2, ''], [3, ''], [4, 'b']]],
    ['a line cut across chunks', ['ab', 'c\nd', 'e\n'], [[1, 'abc'], [2, 'de']]],
    ['CR and LF in different chunks', ['a\r', '\nb\n'], [[1, 'a'], [2, 'b']]],
    ['nothing', [], []],
  ])('%s', (_name, chunks, expected) => {
    expect(split(chunks).out).toEqual(expected);
  });

  it('reports an over-long line once, without keeping it, and goes on with the next', () => {
    const long = 'x'.repeat(50);
    const { out, lines } = split(['ok\n', long, long, long, '\nnext\n', long, long, '\n', 'last'], 60);
    expect(out).toEqual([[1, 'ok'], [2, '<too long>'], [3, 'next'], [4, '<too long>'], [5, 'last']]);
    expect(lines).toBe(5);
  });

  it('reports an over-long line that arrives in one chunk', () => {
    expect(split([`${'y'.repeat(200)}\nz\n`], 60).out).toEqual([[1, '<too long>'], [2, 'z']]);
  });

  it('reports an over-long last line without a newline', () => {
    expect(split(['a\n', 'b'.repeat(200)], 60)).toEqual({ out: [[1, 'a'], [2, '<too long>']], lines: 2 });
  });
});
