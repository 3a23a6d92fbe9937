import { AddressKeySet } from '@mailroom/contracts';
import { ImportReport } from './import-report';
import type { ImportFormat } from './import-format';

const latin1 = (text: string) => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
import { subscriberChunks } from './subscriber-chunks';

/** The body cut into pieces of `size` bytes (splitting lines and multi-byte characters). */
async function* pieces(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  // Each piece a turn of the event loop later, as from a socket.
  for (let i = 0; i < bytes.length; i += size) yield await Promise.resolve(bytes.subarray(i, i + size));
}

async function run(text: string | Uint8Array, format: ImportFormat, options: { size?: number; seen?: AddressKeySet; maxBytes?: number; charset?: string } = {}) {
  const report = new ImportReport(5);
  const out: string[] = [];
  const chunks = subscriberChunks(pieces(text, options.size ?? 7), {
    encoding: { format, charset: options.charset ?? 'utf-8' },
    seen: options.seen ?? new AddressKeySet(),
    report,
    maxBytes: options.maxBytes ?? 1_000_000,
  });
  for await (const chunk of chunks) out.push(Buffer.from(chunk).toString('utf8'));
  const lines = out.join('').split('\n').filter(Boolean);
  return { report, rows: lines.map((line) => JSON.parse(line) as unknown), chunks: out };
}

describe('subscriberChunks (an import body in, NDJSON of the accepted subscribers out)', () => {
  it('reads a CSV: header, custom columns as vars, rejected rows by line, duplicates counted', async () => {
    const csv = [
      '\uFEFFemail,name,city', // 1 (byte-order mark dropped)
      'ann@example.org,Ann,Zürich', // 2
      'broken-address,Nobody,Rome', // 3 rejected
      '', // 4 blank
      'ANN@example.org,Ann again,Oslo', // 5 duplicate: the same mailbox as line 2 (local parts compared without case)
      'ann@EXAMPLE.org,Ann,Oslo', // 6 duplicate of line 2
      '"Smith, Jo <x>"@example.org,,', // 7 rejected
      'jo@example.org,"Smith, Jo","Multi', // 8 rejected: a quote not closed on its line
      'line city"', // 9 rejected: reading resynchronises here
      'zoë@example.org,Zoë,', // 10 rejected: not ASCII in the local part
      ' , ,', // 11 blank (a spreadsheet's empty row)
      'last@example.org,Last,Lyon', // 12, no final newline
    ].join('\r\n');
    const { report, rows } = await run(csv, 'csv');
    expect(rows).toEqual([
      { email: 'ann@example.org', name: 'Ann', vars: { city: 'Zürich' } },
      { email: 'last@example.org', name: 'Last', vars: { city: 'Lyon' } },
    ]);
    expect(report).toMatchObject({ accepted: 2, duplicates: 2, rejected: 5, blankLines: 2, lines: 12, dataLines: 9, truncated: false });
    expect(report.balanced).toBe(true);
    expect(report.rejections).toEqual([
      { line: 3, reason: 'invalid email: missing "@"' },
      { line: 7, reason: 'invalid quoting: text after a closing quote' },
      { line: 8, reason: 'invalid quoting: a quoted field is not closed on its line (line breaks inside fields are not supported)' },
      { line: 9, reason: 'invalid email: must be a bare address (no spaces, display name or list)' },
      { line: 10, reason: 'invalid email: invalid local part' },
    ]);
    expect(report.bytes).toBe(Buffer.byteLength(csv));
  });

  it('costs an unclosed quote its own line only (the issue\'s six-line file)', async () => {
    const csv = ['email,name,city', 'ann@example.org,Ann,Oslo', '"broken@example.org,Broken,Oslo', 'bo@example.org,Bo,Rome', 'cy@example.org,"Cy",Lyon', 'di@example.org,Di,Nice', 'ed@example.org,Ed,Metz'].join('\n');
    for (const size of [3, 7, 1024]) {
      const { report, rows } = await run(csv, 'csv', { size });
      expect(rows.map((r) => (r as { email: string }).email)).toEqual(['ann@example.org', 'bo@example.org', 'cy@example.org', 'di@example.org', 'ed@example.org']);
      expect(report).toMatchObject({ accepted: 5, rejected: 1, duplicates: 0, dataLines: 6 });
      expect(report.rejections).toEqual([{ line: 3, reason: expect.stringContaining('invalid quoting') }]);
    }
  });

  it('refuses a body that is not UTF-8 as a whole, naming the first bad line (400)', async () => {
    const body = latin1('email,name\nann@example.org,Ann\njose@example.org,Jos\xe9\n');
    await expect(run(body, 'csv')).rejects.toMatchObject({ status: 400, field: 'body', message: expect.stringMatching(/^Line 3 is not valid UTF-8; nothing was imported/) });
  });

  it('decodes a declared charset (windows-1252)', async () => {
    const body = latin1('email,name\njose@example.org,Jos\xe9\n');
    const { rows } = await run(body, 'csv', { charset: 'windows-1252', size: 5 });
    expect(rows).toEqual([{ email: 'jose@example.org', name: 'José' }]);
  });

  it('counts addresses already in the list (earlier imports) as duplicates', async () => {
    const seen = new AddressKeySet();
    seen.add('old@example.org');
    const { report, rows } = await run('email\nold@example.org\nnew@example.org\n', 'csv', { seen });
    expect(rows).toEqual([{ email: 'new@example.org' }]);
    expect(report).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(seen.has('new@example.org')).toBe(true);
  });

  it('reads NDJSON, blank lines counted in the numbering', async () => {
    const ndjson = '{"email":"a@example.org","name":"A","plan":"pro"}\n\n{"email":"nope"}\n{"email":"b@example.org"}\nnot json\n';
    const { report, rows } = await run(ndjson, 'ndjson', { size: 5 });
    expect(rows).toEqual([{ email: 'a@example.org', name: 'A', vars: { plan: 'pro' } }, { email: 'b@example.org' }]);
    expect(report.rejections).toEqual([
      { line: 3, reason: 'invalid email: missing "@"' },
      { line: 5, reason: 'not valid JSON' },
    ]);
  });

  it('lists the first rejections and counts the rest', async () => {
    const csv = `email\n${Array.from({ length: 8 }, (_, i) => `bad${i}`).join('\n')}\n`;
    const { report } = await run(csv, 'csv');
    expect(report.rejected).toBe(8);
    expect(report.rejections.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(report.truncated).toBe(true);
  });

  it('hands the output on in pieces as it goes, not at the end', async () => {
    const csv = `email,name\n${Array.from({ length: 5000 }, (_, i) => `reader${i}@example.org,Reader ${i}`).join('\n')}\n`;
    const { report, chunks, rows } = await run(csv, 'csv', { size: 16 * 1024 });
    expect(report.accepted).toBe(5000);
    expect(rows).toHaveLength(5000);
    expect(chunks.length).toBeGreaterThan(2);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64 * 1024 + 16 * 1024 * 2);
  });

  it.each([
    ['a CSV without an email column', 'name,city\nAnn,Oslo\n', 'csv', 'CSV header row: needs an "email" column'],
    ['an empty CSV', '\n\n', 'csv', 'The CSV is empty'],
    ['a CSV whose header has broken quoting', '\n"email,name\n', 'csv', 'CSV header row (line 2): invalid quoting'],
    ['an empty NDJSON body', '', 'ndjson', 'The body is empty'],
  ])('refuses %s as a whole (400)', async (_name, body, format, message) => {
    await expect(run(body, format as ImportFormat)).rejects.toMatchObject({ status: 400, message: expect.stringContaining(message) });
  });

  it('stops reading once the body passes maxBytes (413)', async () => {
    const csv = `email\n${'a@example.org\n'.repeat(100)}`;
    await expect(run(csv, 'csv', { maxBytes: 500 })).rejects.toMatchObject({ status: 413, message: expect.stringContaining('MAX_IMPORT_BYTES') });
  });
});
