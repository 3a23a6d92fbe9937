import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@mailroom/testing';

export interface ScrapeTarget {
  readonly job: string;
  readonly port: number;
}

export interface QueryResult {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly data?: { readonly resultType: string; readonly result: ReadonlyArray<{ metric: Record<string, string>; value: [number, string] }> };
}

/** A real Prometheus (Debian's `prometheus` binary) scraping the test's services every second. */
export class PrometheusProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static available(): boolean {
    return spawnSync('sh', ['-c', 'command -v prometheus && command -v promtool'], { encoding: 'utf8' }).status === 0;
  }

  static async start(targets: readonly ScrapeTarget[], ruleFiles: readonly string[]): Promise<PrometheusProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-prometheus-'));
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: targets.map((t) => ({
        job_name: t.job,
        metrics_path: '/metrics',
        static_configs: [{ targets: [`127.0.0.1:${t.port}`] }],
      })),
    };
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    const server = new PrometheusProcess(child, dir, port);
    await waitFor(() => fetch(`http://127.0.0.1:${port}/-/ready`).then((r) => r.status), (s) => s === 200, {
      timeoutMs: 30_000,
      description: 'Prometheus to be ready',
    });
    return server;
  }

  async query(expr: string): Promise<QueryResult> {
    const res = await fetch(`http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as QueryResult;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `promtool` with arguments and optional stdin; returns its exit code and output. */
export function promtool(args: readonly string[], input?: string): { code: number; output: string } {
  const run = spawnSync('promtool', [...args], { input, encoding: 'utf8' });
  return { code: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}
