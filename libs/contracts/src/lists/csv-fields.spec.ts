import { csvFields } from './csv-fields';

const unclosed = { error: 'invalid quoting: a quoted field is not closed on its line (line breaks inside fields are not supported)' };

describe('csvFields', () => {
  it.each([
    ['plain fields', 'a,b,c', ['a', 'b', 'c']],
    ['empty fields and a trailing comma', 'a,,c,', ['a', '', 'c', '']],
    ['quoted fields with commas and doubled quotes', '"a,b","say ""hi""",c', ['a,b', 'say "hi"', 'c']],
    ['an empty quoted field', '"",x', ['', 'x']],
    ['a quoted field then a trailing comma', 'x,"y",', ['x', 'y', '']],
    ['blanks around a quoted field', 'a, "b" ,c', ['a', 'b', 'c']],
    ['a quote inside an unquoted field is literal', 'ab"c,d', ['ab"c', 'd']],
    ['a quoted last field', 'a,"b"', ['a', 'b']],
  ])('%s', (_name, line, expected) => {
    expect(csvFields(line)).toEqual(expected);
  });

  it.each([
    ['an unclosed quote at the start', '"broken@example.org,Broken,Oslo', unclosed],
    ['an unclosed quote later on', 'a,"open', unclosed],
    ['a doubled quote that leaves the field open', '"a""', unclosed],
    ['text after a closing quote', 'a,"b"x,c', { error: 'invalid quoting: text after a closing quote' }],
  ])('rejects %s', (_name, line, expected) => {
    expect(csvFields(line)).toEqual(expected);
  });
});
