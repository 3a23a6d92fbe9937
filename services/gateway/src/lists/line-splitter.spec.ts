import { LineSplitter, UndecodableLineError } from './line-splitter';

const utf8 = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const bytes = (text: string) => new TextEncoder().encode(text);

function split(chunks: Array<string | Uint8Array>, maxLineChars = 100, decoder = utf8()) {
  const out: Array<[number, string]> = [];
  const splitter = new LineSplitter({ line: (text, n) => out.push([n, text]), overflow: (n) => out.push([n, '<too long>']) }, maxLineChars, decoder);
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? bytes(chunk) : chunk);
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
    ['a leading byte-order mark dropped', ['\uFEFFemail\nx\n'], [[1, 'email'], [2, 'x']]],
    ['nothing', [], []],
  ])('%s', (_name, chunks, expected) => {
    expect(split(chunks).out).toEqual(expected);
  });

  it('decodes a multi-byte character cut across chunks', () => {
    const all = bytes('José\nÅse\n');
    const cut = all.indexOf(0xc3) + 1; // inside é
    expect(split([all.subarray(0, cut), all.subarray(cut)]).out).toEqual([[1, 'José'], [2, 'Åse']]);
  });

  it('refuses a line that is not UTF-8, naming it', () => {
    const latin1 = Uint8Array.from([...bytes('email\nann@example.org\n'), 0x4a, 0x6f, 0x73, 0xe9, ...bytes('@example.org\nz\n')]);
    expect(() => split([latin1])).toThrow(new UndecodableLineError(3, 'utf-8'));
    expect(() => split([latin1.subarray(0, 25), latin1.subarray(25)])).toThrow(new UndecodableLineError(3, 'utf-8'));
  });

  it('decodes a declared single-byte charset', () => {
    const latin1 = Uint8Array.from([0x4a, 0x6f, 0x73, 0xe9, 10]);
    expect(split([latin1], 100, new TextDecoder('windows-1252')).out).toEqual([[1, 'José']]);
  });

  it('reports an over-long line once, without keeping it, and goes on with the next', () => {
    const long = 'x'.repeat(150);
    const { out, lines } = split(['ok\n', long, long, long, '\nnext\n', long, long, '\n', 'last'], 60);
    expect(out).toEqual([[1, 'ok'], [2, '<too long>'], [3, 'next'], [4, '<too long>'], [5, 'last']]);
    expect(lines).toBe(5);
  });

  it('reports an over-long line that arrives in one chunk', () => {
    expect(split([`${'y'.repeat(200)}\nz\n`], 60).out).toEqual([[1, '<too long>'], [2, 'z']]);
  });

  it('reports an over-long last line without a newline', () => {
    expect(split(['a\n', 'b'.repeat(300)], 60)).toEqual({ out: [[1, 'a'], [2, '<too long>']], lines: 2 });
  });
});
