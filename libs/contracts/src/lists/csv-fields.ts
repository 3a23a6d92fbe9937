// The CSV dialect of subscriber files, shared by the gateway's list import and the CLI so that a
// file reads the same through either.

/** The fields of one CSV line, or why the line cannot be read. */
export type CsvFields = string[] | { readonly error: string };

const QUOTE = 34;

/**
 * One CSV line (RFC 4180 quoting within the line): comma-separated fields, double-quoted fields
 * with `""` for a quote, a quote inside an unquoted field taken literally, blanks around a quoted
 * field allowed.
 *
 * A record is exactly one line: a quoted field must close on the line that opens it. That is
 * what lets an import account for every line (accepted + rejected + duplicates = data lines) and
 * lets one broken line cost that line only — a quote left open or text after a closing quote
 * rejects the line, and reading goes on with the next one. The price: line breaks inside quoted
 * fields are not supported (a subscriber's name may not hold one anyway). (csv-parse 7.0.3, tried
 * first, drops every row after an unclosed quote even with `skip_records_with_error`.)
 */
export function csvFields(text: string): CsvFields {
  // The common case: no quoting at all.
  if (text.indexOf('"') === -1) return text.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    // A new field starts at i; blanks before an opening quote are allowed (`a, "b"`).
    const start = skipBlanks(text, i);
    if (text.charCodeAt(start) !== QUOTE) {
      const comma = text.indexOf(',', i);
      if (comma === -1) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
      continue;
    }
    let field = '';
    i = start + 1;
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote === -1) return { error: 'invalid quoting: a quoted field is not closed on its line (line breaks inside fields are not supported)' };
      field += text.slice(i, quote);
      if (text.charCodeAt(quote + 1) === QUOTE) {
        field += '"';
        i = quote + 2;
        continue;
      }
      i = skipBlanks(text, quote + 1);
      break;
    }
    fields.push(field);
    if (i === text.length) return fields;
    if (text[i] !== ',') return { error: 'invalid quoting: text after a closing quote' };
    i += 1;
    if (i === text.length) {
      fields.push('');
      return fields;
    }
  }
}

function skipBlanks(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i += 1;
  return i;
}
