import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    writeFileSync(join(dir, 'issue.html'), '<h1>Issue 12</h1><p>Hello {{name}}</p>');
    writeFileSync(join(dir, 'list.csv'), ['email,name', ...Array.from({ length: 29 }, (_, i) => `cli${i}@example.org,Reader ${i}`), 'gone@example.org,Gone'].join('\n'));
    writeFileSync(join(dir, 'clean.txt'), 'clean1@example.org\nclean2@example.org\n\n');
    writeFileSync(join(dir, 'invalid.txt'), 'not-an-address\n');
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a CSV list, shows progress, prints the summary and exits 2 when some recipients failed', async () => {
    const run = await cli(['send', '--subject', 'Issue 12', '--html', join(dir, 'issue.html'), '--recipients', join(dir, 'list.csv')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Newsletter [0-9a-f-]{36} queued for 30 recipient\(s\)/);
    expect(run.stdout).toMatch(/completed_with_failures: 29 sent, 1 failed, 0 suppressed of 30/);
    expect(smtp.deliveriesTo.get('cli0@example.org')).toBe(1);
    const mail = (await smtp.parsed()).find((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '').includes('cli0@example.org'));
    expect(mail?.subject).toBe('Issue 12');
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

  it('exits 1 when the newsletter failed, and when the gateway refuses the request', async () => {
    const failed = await cli(['send', '--subject', 'Nobody', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'invalid.txt'), '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed', failed: 1 });

    const refused = await cli(['send', '--subject', 'Bad\r\nBcc: x@y.org', '--text', join(dir, 'issue.html'), '--recipients', join(dir, 'clean.txt')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Error 400: .*subject/);

    const unauthorised = await cli(['watch', '00000000-0000-4000-8000-000000000000'], { MAILROOM_API_KEY: 'wrong-key-0123456789abcdef' });
    expect(unauthorised.code).toBe(1);
    expect(unauthorised.stderr).toMatch(/Error 401/);
  });
});
