import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { repoRoot } from '../processes/repo-root';

/** Postfix's smtp-sink and the folder of the libraries it loads. */
export interface PostfixSmtpSinkBinary {
  readonly binary: string;
  readonly libraries: string;
}

/** Where Debian's postfix package installs smtp-sink, when the machine has it. */
const INSTALLED = { binary: '/usr/sbin/smtp-sink', libraries: '/usr/lib/postfix' };

/**
 * Postfix's smtp-sink: the machine's own when postfix is installed, else the one of Debian's
 * postfix package unpacked under tmp/postfix without its daemon (`apt-get download` once, then
 * `dpkg-deb -x`: apt's state is not touched). Undefined when it cannot be had (no apt, no
 * network) or does not run.
 */
export function postfixSmtpSinkBinary(): PostfixSmtpSinkBinary | undefined {
  if (existsSync(INSTALLED.binary) && runs(INSTALLED)) return INSTALLED;
  const dir = join(repoRoot(), 'tmp', 'postfix');
  const binary = join(dir, 'root', 'usr', 'sbin', 'smtp-sink');
  const libraries = join(dir, 'root', 'usr', 'lib', 'postfix');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const download = spawnSync('apt-get', ['download', 'postfix'], { cwd: dir, encoding: 'utf8' });
    const deb = readdirSync(dir).find((f) => f.startsWith('postfix_') && f.endsWith('.deb'));
    if (download.status !== 0 || !deb) return undefined;
    if (spawnSync('dpkg-deb', ['-x', deb, 'root'], { cwd: dir }).status !== 0) return undefined;
  }
  return runs({ binary, libraries }) ? { binary, libraries } : undefined;
}

/** Started without arguments, smtp-sink prints its usage: it runs. */
function runs(sink: PostfixSmtpSinkBinary): boolean {
  const check = spawnSync(sink.binary, [], { env: { LD_LIBRARY_PATH: sink.libraries }, encoding: 'utf8' });
  return /usage/.test(`${check.stdout}${check.stderr}`);
}

/**
 * Postfix's smtp-sink on a free port of 127.0.0.1, with the given options (`-p`: no PIPELINING,
 * `-f RCPT`: refuse recipients with a 5xx, `-Q MAIL`: 421 and hang up, …; see smtp-sink(1)).
 * It offers PIPELINING unless told not to, and runs as `nobody` when we are root (it must).
 */
export class PostfixSmtpSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** Rejects when smtp-sink cannot be had: a test that needs Postfix should fail, not pass without it. */
  static async start(options: readonly string[] = [], extra: { stdout?: (chunk: Buffer) => void } = {}): Promise<PostfixSmtpSink> {
    const sink = postfixSmtpSinkBinary();
    if (!sink) throw new Error("Postfix's smtp-sink is not available (apt-get download postfix failed)");
    const port = await freePort();
    const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    const child = spawn(sink.binary, [...user, ...options, `127.0.0.1:${port}`, '64'], {
      env: { LD_LIBRARY_PATH: sink.libraries },
      stdio: ['ignore', extra.stdout ? 'pipe' : 'ignore', 'pipe'],
    });
    if (extra.stdout) child.stdout?.on('data', extra.stdout);
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`smtp-sink did not start on ${port}: ${errors.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return new PostfixSmtpSink(child, port);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
