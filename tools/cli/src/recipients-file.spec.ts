import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, exitCodeOf, exitCodeOfStatus } from './exit-codes';
import { InputFileError, readRecipients } from './recipients-file';

describe('readRecipients', () => {
  let dir: string;
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mailroom-cli-rows-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps custom columns as merge fields and reports each bad row with its line, keeping the rest', () => {
    const read = readRecipients(
      file(
        'list.csv',
        [
          'email,Name,city,plan',
          'ann@example.org,Ann,Oslo,pro',
          '"broken@example.org,Broken,Oslo',
          'not-an-address,Nobody,Lyon,',
          '',
          'bob@EXAMPLE.org,,Lyon,',
          ',No address,Paris,',
          'cy@example.org,"Cy ""the"" Reader",Rome,free',
        ].join('\r\n'),
      ),
    );
    expect(read.recipients).toEqual([
      { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo', plan: 'pro' } },
      { email: 'bob@example.org', vars: { city: 'Lyon' } },
      { email: 'cy@example.org', name: 'Cy "the" Reader', vars: { city: 'Rome', plan: 'free' } },
    ]);
    expect(read.problems).toEqual([
      { line: 3, reason: expect.stringMatching(/^invalid quoting/) },
      { line: 4, reason: 'invalid email: missing "@"' },
      { line: 7, reason: 'email is missing' },
    ]);
    expect(read.dataLines).toBe(6);
  });

  it('reads one address per line when there is no header, reporting the bad ones', () => {
    const read = readRecipients(file('plain.txt', '\uFEFFa@example.org\n\n  b@example.org  \nc@\n'));
    expect(read.recipients).toEqual([{ email: 'a@example.org' }, { email: 'b@example.org' }]);
    expect(read.problems).toEqual([{ line: 4, reason: 'invalid email: missing "@"' }]);
  });

  // The gateway's list import reads rows by the same rule (subscriberFromFields); its inline
  // recipients refuse a name with a line break or control character for the whole request
  // (IsSingleLine), so such a row must be skipped here, not sent.
  it('reports and skips rows the gateway would refuse: too many fields, a control character or a stray CR in the name', () => {
    const read = readRecipients(
      file(
        'rows.csv',
        [
          'email,name',
          'ann@example.org,Ann',
          'extra@example.org,Extra,surplus',
          'trailing@example.org,Trailing,,',
          'cr@example.org,Car\riage',
          'tab-ok@example.org,Tab\there',
          'bell@example.org,Bell\u0007',
          'sep@example.org,Line\u2028Sep',
          'crlf@example.org,Crlf\r',
        ].join('\n'),
      ),
    );
    expect(read.recipients).toEqual([
      { email: 'ann@example.org', name: 'Ann' },
      { email: 'trailing@example.org', name: 'Trailing' },
      { email: 'tab-ok@example.org', name: 'Tab\there' },
      { email: 'crlf@example.org', name: 'Crlf' },
    ]);
    expect(read.problems).toEqual([
      { line: 3, reason: 'has 3 fields, but the header has 2' },
      { line: 5, reason: 'name must not contain line breaks or control characters' },
      { line: 7, reason: 'name must not contain line breaks or control characters' },
      { line: 8, reason: 'name must not contain line breaks or control characters' },
    ]);
    expect(read.dataLines).toBe(8);
  });

  it('reports a name longer than the gateway allows and merge fields over its limits', () => {
    const read = readRecipients(file('long.csv', `email,name,city\na@example.org,${'x'.repeat(257)},\nb@example.org,,${'y'.repeat(1001)}\n`));
    expect(read.recipients).toEqual([]);
    expect(read.problems).toEqual([
      { line: 2, reason: 'name is longer than 256 characters' },
      { line: 3, reason: 'custom columns: city is longer than 1000 characters' },
    ]);
  });

  it('takes the first non-blank line as the header, as the gateway does', () => {
    const read = readRecipients(file('late-header.csv', '\n,,\nemail,city\na@example.org,Oslo\n'));
    expect(read.recipients).toEqual([{ email: 'a@example.org', vars: { city: 'Oslo' } }]);
    expect(read.problems).toEqual([]);
  });

  it('refuses a file that is not UTF-8, or whose header cannot work, as a whole', () => {
    expect(() => readRecipients(file('latin1.csv', Buffer.from('email,name\njose@example.org,Jos\xe9\n', 'latin1')))).toThrow(
      new InputFileError(`${join(dir, 'latin1.csv')} is not UTF-8 text (save it as UTF-8)`),
    );
    expect(() => readRecipients(file('twice.csv', 'email,city,City\na@example.org,x,y\n'))).toThrow(/column "City" appears twice/);
    expect(() => readRecipients(file('two-emails.csv', 'email,name,Email\na@example.org,Ann,b@example.org\n'))).toThrow(
      new InputFileError('CSV header row (line 1): column "Email" appears twice'),
    );
    expect(() => readRecipients(file('no-email.csv', 'mail,name\na@example.org,Ann\n'))).toThrow(
      new InputFileError('CSV header row (line 1): needs an "email" column (the first line names the columns, e.g. "email,name,city")'),
    );
    expect(() => readRecipients(file('broken-header.csv', '"email,name\na@example.org,Ann\n'))).toThrow(/CSV header row \(line 1\): invalid quoting/);
    const wide = ['email', ...Array.from({ length: 51 }, (_, i) => `c${i}`)].join(',');
    expect(() => readRecipients(file('wide.csv', `${wide}\na@example.org\n`))).toThrow(/at most 50 custom columns/);
    expect(() => readRecipients(join(dir, 'missing.csv'))).toThrow(InputFileError);
  });
});

describe('exit codes', () => {
  it('tells every outcome apart', () => {
    const codes = [
      exitCodeOf({ status: 'completed' } as never),
      exitCodeOf({ status: 'completed_with_failures' } as never),
      exitCodeOf({ status: 'failed' } as never),
      exitCodeOf({ status: 'cancelled' } as never),
      exitCodeOfStatus(400),
      exitCodeOfStatus(503),
      exitCodeOfStatus(0),
      EXIT.importRejectedRows,
      exitCodeOf({ status: 'completed' } as never, true),
      EXIT.usage,
      EXIT.badInput,
      EXIT.internal,
    ];
    expect(codes).toEqual([0, 2, 1, 3, 4, 5, 5, 6, 7, 64, 65, 70]);
    const outcomes = Object.values(EXIT);
    expect(new Set(outcomes).size).toBe(outcomes.length);
  });

  it('lets the newsletter\'s own outcome take precedence over skipped rows', () => {
    expect(exitCodeOf({ status: 'completed_with_failures' } as never, true)).toBe(EXIT.completedWithFailures);
    expect(exitCodeOf({ status: 'failed' } as never, true)).toBe(EXIT.failed);
    expect(exitCodeOf({ status: 'cancelled' } as never, true)).toBe(EXIT.cancelled);
  });
});
