import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, postfixSmtpSinkBinary, repoRoot, type PostfixSmtpSinkBinary } from '@mailroom/testing';

/**
 * The SMTP server the benchmark sends to, in a process of its own: Postfix's smtp-sink (from
 * Debian's postfix package, unpacked into tmp/postfix without its daemon) when it can be had, else
 * an smtp-server sink of ours. Both print a running `mesg=<n>` counter on stdout, which gives the
 * arrival time of the first and the last message.
 */
export class BenchSink {
  private count = 0;
  private first: number | null = null;
  private last: number | null = null;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly kind: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    let carry = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      carry += chunk.toString('latin1');
      const matches = [...carry.matchAll(/mesg=(\d+)/g)];
      const latest = matches[matches.length - 1];
      if (latest) {
        const value = Number(latest[1]);
        if (value > this.count) {
          const now = Date.now();
          this.first ??= now;
          this.last = now;
          this.count = value;
          for (const wake of this.waiters.splice(0)) wake();
        }
        carry = carry.slice(carry.lastIndexOf('mesg='));
      }
    });
  }

  static async start(): Promise<BenchSink> {
    const port = await freePort();
    const postfix = postfixSinkBinary();
    if (postfix) {
      const child = spawn(postfix.binary, ['-c', '-u', 'nobody', `127.0.0.1:${port}`, '1024'], {
        env: { LD_LIBRARY_PATH: postfix.libraries },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return BenchSink.ready(new BenchSink('postfix smtp-sink', port, child));
    }
    const main = join(repoRoot(), 'dist', 'tools', 'bench', 'main.js');
    const child = spawn(process.execPath, [main, 'sink', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    return BenchSink.ready(new BenchSink('smtp-server sink (node)', port, child));
  }

  private static async ready(sink: BenchSink): Promise<BenchSink> {
    const { connect } = await import('node:net');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: sink.port });
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      if (up) return sink;
      if (Date.now() > deadline) throw new Error(`${sink.kind} did not start on ${sink.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Counters relative to the last `reset()`. */
  get received(): number {
    return this.count - this.base;
  }

  private base = 0;

  reset(): void {
    this.base = this.count;
    this.first = null;
    this.last = null;
  }

  get firstAt(): number | null {
    return this.first;
  }

  get lastAt(): number | null {
    return this.last;
  }

  async waitFor(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received < count) {
      if (Date.now() > deadline) throw new Error(`sink received ${this.received} of ${count} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** Postfix's smtp-sink unless BENCH_SINK=node asks for the smtp-server sink. */
function postfixSinkBinary(): PostfixSmtpSinkBinary | undefined {
  return process.env['BENCH_SINK'] === 'node' ? undefined : postfixSmtpSinkBinary();
}
