import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailroomStack, SmtpSink, TEST_API_KEY, repoRoot } from '@mailroom/testing';

jest.setTimeout(120_000);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npx mailroom …` against the running stack (the bin the workspace links, from the build). */
describe('mailroom CLI', () => {
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let dir: string;

  const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [join(repoRoot(), 'tools', 'cli', 'bin', 'mailroom.js'), ...args], {
        env: { PATH: process.env['PATH'] ?? '', MAILROOM_URL: stack.gateway.baseUrl, MAILROOM_API_KEY: TEST_API_KEY, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    smtp = await SmtpSink.start({
      faultAt: (email) => (email.startsWith('gone') ? { kind: 'reply', code: 550, message: 'No such user' } : undefined),
    });
    stack = await MailroomStack.start({ smtpUrl: smtp.url });
    dir = mkdtempSync(join(tmpdir(), 'mailroom-cli-'));
    writeFileSync(join(dir, 'issue.html'), '<h1>Issue 12</h1><p>Hello {{name}} from {{ city }}</p>');
    writeFileSync(
      join(dir, 'list.csv'),
      ['email,name,city', ...Array.from({ length: 29 }, (_, i) => `cli${i}@example.org,Reader ${i},City ${i}`), 'gone@example.org,Gone,Nowhere'].join('\n'),
    );
    writeFileSync(
      join(dir, 'rows.csv'),
      [
        'email,name,city',
        'row1@example.org,Row 1,Oslo',
        '"broken@example.org,Broken,Oslo',
        'nobody-at-example.org,Nobody,Lyon',
        'row5@example.org,Row 5,Bergen',
        // The gateway refuses a whole newsletter request for one such name: the CLI skips the row.
        'bell@example.org,Bell\u0007,Oslo',
        'stray@example.org,Stray\rCR,Oslo',
        'extra@example.org,Extra,Oslo,surplus',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from('email,name\njose@example.org,Jos\xe9\n', 'latin1'));
    writeFileSync(join(dir, 'clean.txt'), 'clean1@example.org\nclean2@example.org\n\n');
    // Not the gone@ of the first send: that one is suppressed by now (a 550 at RCPT), so skipped.
    writeFileSync(join(dir, 'gone.txt'), 'gone.again@example.org\n');
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a CSV list with its custom columns as merge fields, shows progress and exits 2 when some recipients failed', async () => {
    const run = await cli(['send', '--subject', 'Issue 12', '--html', join(dir, 'issue.html'), '--recipients', join(dir, 'list.csv')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Newsletter [0-9a-f-]{36} queued for 30 recipient\(s\)/);
    expect(run.stdout).toMatch(/completed_with_failures: 29 sent, 1 failed, 0 suppressed of 30/);
    expect(smtp.deliveriesTo.get('cli0@example.org')).toBe(1);
    const mail = (await smtp.parsed()).find((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '').includes('cli7@example.org'));
    expect(mail?.subject).toBe('Issue 12');
    expect(mail?.html).toContain('Hello Reader 7 from City 7');
  });

  it('reports bad rows with their line (as the gateway would judge them) and sends the rest, exit 7; --strict refuses the file and sends nothing (exit 65)', async () => {
    const skipped = await cli(['send', '--subject', 'Rows', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'rows.csv'), '--json']);
    expect(skipped.stderr).toBe(
      [
        '5 row(s) skipped:',
        '  line 3: invalid quoting: a quoted field is not closed on its line (line breaks inside fields are not supported)',
        '  line 4: invalid email: missing "@"',
        '  line 6: name must not contain line breaks or control characters',
        '  line 7: name must not contain line breaks or control characters',
        '  line 8: has 4 fields, but the header has 3',
        '',
      ].join('\n'),
    );
    expect(skipped.code).toBe(7);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ status: 'completed', total: 2, sent: 2 });
    expect(smtp.deliveriesTo.get('row1@example.org')).toBe(1);
    expect(smtp.deliveriesTo.get('row5@example.org')).toBe(1);

    const before = smtp.messages.length;
    const strict = await cli(['send', '--subject', 'Rows', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'rows.csv'), '--strict']);
    expect(strict.code).toBe(65);
    expect(strict.stderr).toMatch(/^5 row\(s\) refused \(--strict: nothing sent\):\n {2}line 3: /);
    expect(strict.stdout).toBe('');
    const latin1 = await cli(['send', '--subject', 'Rows', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'latin1.csv')]);
    expect(latin1.code).toBe(65);
    expect(latin1.stderr).toMatch(/latin1\.csv is not UTF-8 text/);
    writeFileSync(join(dir, 'two-emails.csv'), 'email,name,EMAIL\nann@example.org,Ann,bob@example.org\n');
    const twoEmails = await cli(['send', '--subject', 'Rows', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'two-emails.csv')]);
    expect(twoEmails.code).toBe(65);
    expect(twoEmails.stderr).toBe('CSV header row (line 1): column "EMAIL" appears twice\n');
    expect(smtp.messages.length).toBe(before);
  });

  it('exits 0 for a newsletter that completed, and watch --json prints the final state', async () => {
    const sent = await cli(['send', '--subject', 'Clean', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'clean.txt'), '--no-watch']);
    expect(sent.code).toBe(0);
    const id = sent.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const watched = await cli(['watch', id, '--json']);
    expect(watched.code).toBe(0);
    expect(JSON.parse(watched.stdout)).toMatchObject({ id, status: 'completed', sent: 2, failed: 0 });
  });

  it('pauses, resumes and cancels; a cancelled newsletter exits 3, a refused command 4', async () => {
    const sent = await cli(['send', '--subject', 'Slow', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'list.csv'), '--rate', '2', '--no-watch']);
    expect(sent.code).toBe(0);
    const id = sent.stdout.trim();
    const paused = await cli(['pause', id]);
    expect(paused).toMatchObject({ code: 0, stdout: `${id}: paused\n` });
    const resumed = await cli(['resume', id, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id });
    const cancelled = await cli(['cancel', id]);
    expect(cancelled.code).toBe(0);
    const watched = await cli(['watch', id, '--json']);
    expect(watched.code).toBe(3);
    expect(JSON.parse(watched.stdout)).toMatchObject({ id, status: 'cancelled' });
    const again = await cli(['resume', id]);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^Error 409: /);
  });

  it('schedules a send for later (printing the id, exit 0) that can be cancelled before it starts', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await cli(['schedule', at, '--subject', 'Later', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'clean.txt')]);
    expect(scheduled.code).toBe(0);
    const [id, line] = scheduled.stdout.trim().split('\n');
    expect(line).toBe(`scheduled for ${at} (2 recipient(s))`);
    const noZone = await cli(['schedule', at.slice(0, 19), '--subject', 'Later', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'clean.txt')]);
    expect(noZone.code).toBe(4);
    expect(noZone.stderr).toMatch(/^Error 400: .*\(field sendAt\)/);
    expect((await cli(['cancel', id!])).stdout).toBe(`${id}: cancelled\n`);
    expect((await cli(['watch', id!, '--json'])).code).toBe(3);
  });

  it('makes a list, imports a file into it (exit 6 with the refused rows: the same rows the CLI skips) and sends to it with --list; test sends go out at once', async () => {
    const created = await cli(['lists', 'create', 'CLI readers']);
    expect(created.code).toBe(0);
    const listId = (JSON.parse(created.stdout) as { id: string }).id;
    const imported = await cli(['import', listId, join(dir, 'rows.csv')]);
    expect(imported.code).toBe(6);
    const report = JSON.parse(imported.stdout) as { rejections: Array<{ line: number }> };
    expect(report).toMatchObject({ accepted: 2, rejected: 5, dataLines: 7 });
    expect(report.rejections.map((r) => r.line)).toEqual([3, 4, 6, 7, 8]);
    const shown = await cli(['lists', 'show', listId]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: listId, name: 'CLI readers' });

    const sent = await cli(['send', '--list', listId, '--subject', 'To the list', '--html', join(dir, 'issue.html'), '--json']);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ status: 'completed', sent: 2 });
    const mail = (await smtp.parsed()).find((m) => m.subject === 'To the list' && (m.to && !Array.isArray(m.to) ? m.to.text : '').includes('row5@example.org'));
    expect(mail?.html).toContain('Hello Row 5 from Bergen');

    const test = await cli(['test', '--subject', 'Proof', '--text', join(dir, 'issue.html'), '--to', 'proof@example.org']);
    expect(test.code).toBe(0);
    const proof = (await smtp.parsed()).find((m) => m.subject === 'Proof');
    expect(proof?.headers.get('x-mailroom-test')).toBe('true');
  });

  it('exits 1 when the newsletter failed, 4 when the gateway refuses the request, 64 for a wrong command line', async () => {
    const failed = await cli(['send', '--subject', 'Nobody', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'gone.txt'), '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed', failed: 1 });

    const refused = await cli(['send', '--subject', 'Bad\r\nBcc: x@y.org', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'clean.txt')]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/Error 400: .*subject/);

    const unauthorised = await cli(['watch', '00000000-0000-4000-8000-000000000000'], { MAILROOM_API_KEY: 'wrong-key-0123456789abcdef' });
    expect(unauthorised.code).toBe(4);
    expect(unauthorised.stderr).toMatch(/Error 401/);

    const unreachable = await cli(['watch', '00000000-0000-4000-8000-000000000000'], { MAILROOM_URL: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(5);
    const usage = await cli(['send', '--subject', 'x']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toMatch(/^--html or --text/);
  });

  it('exits 70 on an unexpected error (an answer it cannot read), not 1 as for a failed newsletter', async () => {
    const odd = createServer((_request, response) => response.writeHead(200).end());
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    try {
      const run = await cli(['watch', '00000000-0000-4000-8000-000000000000'], { MAILROOM_URL: `http://127.0.0.1:${(odd.address() as AddressInfo).port}` });
      expect(run.code).toBe(70);
      expect(run.stderr).toMatch(/^Unexpected error: TypeError/);
    } finally {
      await new Promise((resolve) => odd.close(resolve));
    }
  });
});
