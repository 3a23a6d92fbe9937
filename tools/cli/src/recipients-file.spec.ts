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
      { line: 4, reason: expect.stringMatching(/^"not-an-address" is not a valid address/) },
      { line: 7, reason: 'no email' },
    ]);
    expect(read.dataLines).toBe(6);
  });

  it('reads one address per line when there is no header, reporting the bad ones', () => {
    const read = readRecipients(file('plain.txt', '\uFEFFa@example.org\n\n  b@example.org  \nc@\n'));
    expect(read.recipients).toEqual([{ email: 'a@example.org' }, { email: 'b@example.org' }]);
    expect(read.problems).toEqual([{ line: 4, reason: expect.stringContaining('"c@" is not a valid address') }]);
  });

  it('refuses a file that is not UTF-8, or whose header cannot work, as a whole', () => {
    expect(() => readRecipients(file('latin1.csv', Buffer.from('email,name\njose@example.org,Jos\xe9\n', 'latin1')))).toThrow(
      new InputFileError(`${join(dir, 'latin1.csv')} is not UTF-8 text (save it as UTF-8)`),
    );
    expect(() => readRecipients(file('twice.csv', 'email,city,City\na@example.org,x,y\n'))).toThrow(/column "City" appears twice/);
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
      EXIT.usage,
      EXIT.badInput,
    ];
    expect(codes).toEqual([0, 2, 1, 3, 4, 5, 5, 64, 65]);
  });
});
