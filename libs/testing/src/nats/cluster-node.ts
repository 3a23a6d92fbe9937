import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterNodePorts {
  readonly client: number;
  readonly cluster: number;
  /** The HTTP monitoring port (`/jsz`, `/healthz`). */
  readonly monitor: number;
}

/** What the monitoring port's `/jsz` tells about the JetStream meta group, as this server sees it. */
export interface MetaClusterView {
  readonly leader?: string;
  readonly cluster_size?: number;
  /** Only on the leader: the other members and whether they are caught up. */
  readonly replicas?: ReadonlyArray<{ readonly name: string; readonly current: boolean }>;
}

interface JszStream {
  readonly name: string;
  readonly cluster?: { readonly leader?: string };
  readonly consumer_detail?: ReadonlyArray<{ readonly name: string; readonly cluster?: { readonly leader?: string } }>;
}

/**
 * One nats-server of a test cluster: its own config file (server name, cluster routes to every
 * member), its own store folder, started and killed as a process. The config and the store stay
 * on disk across restarts, as a pod's volume does.
 */
export class ClusterNode {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  /** The last lines the server printed (kept for failure messages). */
  readonly output: string[] = [];

  constructor(
    readonly name: string,
    readonly ports: ClusterNodePorts,
    private readonly binary: string,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.ports.client}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** Writes the config file: routes to every member (its own route is ignored by the server). */
  configure(clusterName: string, routePorts: readonly number[]): void {
    const store = join(this.dir, 'store');
    mkdirSync(store, { recursive: true });
    const config = [
      `server_name: ${this.name}`,
      `listen: 127.0.0.1:${this.ports.client}`,
      `http: 127.0.0.1:${this.ports.monitor}`,
      // Bounded so that a test cluster can never take the machine's memory or disk.
      `jetstream { store_dir: "${store}", max_memory_store: 256MB, max_file_store: 4GB }`,
      'cluster {',
      `  name: ${clusterName}`,
      `  listen: 127.0.0.1:${this.ports.cluster}`,
      `  routes: [${routePorts.map((p) => `nats-route://127.0.0.1:${p}`).join(', ')}]`,
      '}',
      '',
    ].join('\n');
    writeFileSync(this.configPath, config);
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const child = spawn(this.binary, ['-c', this.configPath, '-a', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Sends the signal and waits for the process to be gone. */
  async signal(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    this.child!.kill(signal);
    await this.exited;
  }

  /** `/healthz` answered 200 (JetStream up and, on a restarted server, caught up with its groups). */
  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.ports.monitor}/healthz`, { signal: AbortSignal.timeout(2_000) });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async metaCluster(): Promise<MetaClusterView | undefined> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.ports.monitor}/jsz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status !== 200) return undefined;
      return ((await res.json()) as { meta_cluster?: MetaClusterView }).meta_cluster;
    } catch {
      return undefined;
    }
  }

  /**
   * Who leads each stream and consumer this server holds a replica of, as this server sees it:
   * `stream` or `stream/consumer` → leader name (absent while it has none). Read from `/jsz`, so
   * it answers at once during an election, when JetStream API requests would wait.
   */
  async leaders(): Promise<Map<string, string | undefined>> {
    const seen = new Map<string, string | undefined>();
    try {
      const res = await fetch(`http://127.0.0.1:${this.ports.monitor}/jsz?accounts=true&streams=true&consumers=true`, { signal: AbortSignal.timeout(2_000) });
      if (res.status !== 200) return seen;
      const jsz = (await res.json()) as { account_details?: ReadonlyArray<{ stream_detail?: ReadonlyArray<JszStream> }> };
      for (const stream of (jsz.account_details ?? []).flatMap((a) => a.stream_detail ?? [])) {
        seen.set(stream.name, stream.cluster?.leader || undefined);
        for (const consumer of stream.consumer_detail ?? []) seen.set(`${stream.name}/${consumer.name}`, consumer.cluster?.leader || undefined);
      }
    } catch {
      // Not answering (down or busy): it sees nothing.
    }
    return seen;
  }

  private get configPath(): string {
    return join(this.dir, 'nats-server.conf');
  }
}
