import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { waitFor } from '../wait-for';

/**
 * A nats-server with JetStream of the test's own (free port, own store folder), so the test can
 * stop and restart it. Runs `binary`, else `NATS_SERVER_BIN`, else `nats-server` on the PATH.
 */
export class NatsServerProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
    private readonly binary: string,
  ) {}

  static available(): boolean {
    return spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim() !== '';
  }

  static async start(options: { binary?: string } = {}): Promise<NatsServerProcess> {
    const binary = options.binary ?? (process.env['NATS_SERVER_BIN'] || 'nats-server');
    const server = new NatsServerProcess(await freePort(), mkdtempSync(join(tmpdir(), 'mailroom-nats-')), binary);
    await server.startAgain();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /** Starts the server (again) on the same port with the same store. */
  async startAgain(): Promise<void> {
    this.child = spawn(this.binary, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], {
      stdio: 'ignore',
    });
    await waitFor(() => this.answers(), Boolean, { timeoutMs: 15_000, intervalMs: 50, description: `nats-server on ${this.port}` });
  }

  /** Stops it the way an orchestrator does (SIGTERM: JetStream flushes its store). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await waitFor(() => this.answers(), (up) => !up, { timeoutMs: 10_000, intervalMs: 50, description: 'nats-server to stop' });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: this.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}
