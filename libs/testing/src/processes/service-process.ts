import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { waitFor } from '../wait-for';
import { repoRoot } from './repo-root';

export type ServiceName = 'gateway' | 'splitter' | 'sender' | 'tracker' | 'feedback';

export interface StartOptions {
  readonly env: Readonly<Record<string, string>>;
  /** Label in logs and errors (`sender-2`). */
  readonly label?: string;
  readonly readyTimeoutMs?: number;
  /** Echo the process's output to this process's stderr (debugging). */
  readonly echo?: boolean;
  /** Arguments for node itself (`--cpu-prof` is refused in NODE_OPTIONS). */
  readonly nodeArgs?: readonly string[];
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One Mailroom service started from the build (`dist/services/<name>/main.js`) as its own
 * process, as production runs it. Waits for `/health/ready`; keeps its output for assertions.
 */
export class ServiceProcess {
  readonly output: string[] = [];
  private readonly exited: Promise<Exit>;
  /** Exit and end of its output: 'exit' may come before the last of stderr has been read. */
  private readonly closed: Promise<void>;

  private constructor(
    readonly name: ServiceName,
    readonly label: string,
    readonly port: number,
    private readonly child: ChildProcess,
    /**
     * The gateway's gRPC port (undefined for the other services): one picked like `port` unless
     * the caller set GRPC_PORT. Read it rather than setting one: a picked port that another
     * process takes before the gateway binds it is picked again.
     */
    readonly grpcPort?: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
  }

  static async start(name: ServiceName, options: StartOptions): Promise<ServiceProcess> {
    const main = join(repoRoot(), 'dist', 'services', name, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first`);
    // A port from freePort() was free a moment ago; another process (a client socket's ephemeral
    // port, say) may take it before the service binds it. Ports we picked are picked again then;
    // ports the caller set are the caller's to keep, so that failure is reported at once.
    const portsArePicked = !options.env['HTTP_PORT'] && !(name === 'gateway' && options.env['GRPC_PORT']);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await ServiceProcess.startOnce(name, main, options);
      } catch (error) {
        const portTaken = (error as Error).message.includes('EADDRINUSE');
        if (!portTaken || !portsArePicked || attempt === 3) throw error;
      }
    }
  }

  private static async startOnce(name: ServiceName, main: string, options: StartOptions): Promise<ServiceProcess> {
    const port = options.env['HTTP_PORT'] ? Number(options.env['HTTP_PORT']) : await freePort();
    // The gateway also listens for gRPC: a free port too, or two gateways on one machine collide on 50051.
    const grpc = name === 'gateway' && !options.env['GRPC_PORT'] ? { GRPC_PORT: String(await freePort()) } : {};
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
      env: { PATH: process.env['PATH'] ?? '', ...grpc, ...options.env, HTTP_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const grpcPort = name === 'gateway' ? Number(options.env['GRPC_PORT'] ?? grpc.GRPC_PORT) : undefined;
    const service = new ServiceProcess(name, options.label ?? name, port, child, grpcPort);
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      service.output.push(...text.split('\n').filter(Boolean));
      if (options.echo) process.stderr.write(`[${service.label}] ${text}`);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await service.waitUntilReady(options.readyTimeoutMs ?? 30_000);
    return service;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        if (!this.running) return 'exited' as const;
        const res = await fetch(`${this.baseUrl}/health/ready`);
        return res.status;
      },
      // A process that exited will not become ready: stop waiting at once.
      (status) => status === 200 || status === 'exited',
      { timeoutMs, intervalMs: 100, description: `${this.label} to be ready` },
    )
      .then((status) => {
        if (status === 'exited') throw new Error(`${this.label} exited before it was ready`);
      })
      .catch(async (error: Error) => {
        this.child.kill('SIGKILL');
        await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        throw new Error(`${error.message}\n--- ${this.label} output ---\n${this.output.slice(-40).join('\n')}`);
      });
  }

  /** SIGTERM and wait for the exit (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 30_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** kill -9: no shutdown hook runs, as in a crash or an OOM kill. */
  async kill(): Promise<Exit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  waitForExit(): Promise<Exit> {
    return this.exited;
  }
}
