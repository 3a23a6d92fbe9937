import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { freePort } from '@mailroom/testing';

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr || run.error?.message}`);
  return run.stdout.trim();
}

/** A `git clone` of the committed HEAD of `root` in a new temporary folder: what a new user gets. */
export function cloneHead(root: string): { readonly dir: string; readonly commit: string } {
  const commit = git(root, 'rev-parse', 'HEAD');
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-fresh-clone-'));
  git(dir, 'clone', '--quiet', root, '.');
  git(dir, 'checkout', '--quiet', '--detach', commit);
  return { dir, commit };
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** `count` consecutive ports that were free a moment ago (npm start's services take DEV_HTTP_PORT and the next four). */
export async function freePortRun(count: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first + count > 65_535) continue;
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => portIsFree(first + i + 1)));
    if (rest.every(Boolean)) return first;
  }
}

/**
 * The environment of a user's shell: this test runs under npm and jest, whose variables (the
 * workspace's node_modules/.bin on PATH, npm_*, NODE_ENV=test) would let the clone use this
 * checkout's tools instead of installing its own.
 */
export function userEnvironment(overrides: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|NODE_ENV$|JEST_WORKER_ID$|INIT_CWD$|NODE_OPTIONS$|NX_)/i.test(key) && key !== 'npm_config_cache') continue;
    env[key] = value;
  }
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes(`${sep}node_modules${sep}`) && !entry.endsWith(`${sep}node_modules`))
    .join(delimiter);
  for (const key of ['SMTP_URL', 'SMTP_PROVIDERS', 'API_KEYS', 'NATS_URL', 'MAILROOM_NAMESPACE']) delete env[key];
  return { ...env, ...overrides };
}

/** `npm start` in a folder, in its own process group (as a terminal runs it), its output kept line by line. */
export class NpmStart {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(dir: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('npm', ['start'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    const take = (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      this.lines.push(...complete);
      this.notify();
    };
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
    this.child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
    });
  }

  get exited(): boolean {
    return this.exit !== undefined;
  }

  /** The first output line matching `pattern`; fails when npm start exits first or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no line matching ${String(pattern)} within ${timeoutMs / 1000} s`)), timeoutMs);
      const finish = (error?: Error, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(new Error(`${error.message}; npm start's last output:\n${this.tail(40)}`));
        else resolve(match!);
      };
      const check = () => {
        for (const line of this.lines) {
          const match = line.match(pattern);
          if (match) return finish(undefined, match);
        }
        if (this.exit) finish(new Error(`npm start exited (${this.exit.signal ?? this.exit.code}) before a line matching ${String(pattern)}`));
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Ctrl-C, as in a terminal: SIGINT to the whole process group. Resolves once every process of the group is gone. */
  /** SIGINT to the group, as Ctrl-C; `left`: the processes still running after `timeoutMs` (then killed). */
  async interrupt(timeoutMs: number): Promise<{ allGone: boolean; left: string[] }> {
    const group = -this.child.pid!;
    signal(group, 'SIGINT');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited && !groupAlive(group)) return { allGone: true, left: [] };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const left = groupMembers(this.child.pid!);
    // Left over after the deadline: do not leave them running on the machine.
    signal(group, 'SIGKILL');
    return { allGone: false, left };
  }

  tail(count: number): string {
    return this.lines.slice(-count).join('\n');
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function signal(group: number, name: NodeJS.Signals): void {
  try {
    process.kill(group, name);
  } catch {
    // the group is gone already
  }
}

/** The command lines of the processes in a process group (`ps`), for a failure message. */
function groupMembers(pgid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pgid=,pid=,args='], { encoding: 'utf8' });
  return (ps.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group]) => Number(group) === pgid)
    .map(([, pid, ...args]) => `${pid} ${args.join(' ')}`.slice(0, 200));
}

function groupAlive(group: number): boolean {
  try {
    process.kill(group, 0);
    return true;
  } catch {
    return false;
  }
}
