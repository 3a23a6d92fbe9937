import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@mailroom/testing';
import type { BenchSink } from './bench-sink';
import type { BaselineKind } from './baseline-sender';
import type { ProcessUsage } from './process-stats';

export interface BaselineResult {
  readonly emailsPerSecond: number;
  readonly firstEmailMs: number;
  readonly usage: ProcessUsage;
}

/** A baseline sender (see baseline-sender.ts) in its own process, measured like the services. */
export async function runBaseline(kind: BaselineKind, sink: BenchSink, count: number): Promise<BaselineResult> {
  sink.reset();
  const main = join(repoRoot(), 'dist', 'tools', 'bench', 'main.js');
  const started = Date.now();
  const child = spawn(process.execPath, [main, 'baseline', '--kind', kind, '--url', sink.url, '--count', String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`baseline exited ${code}: ${output}`);
  await sink.waitFor(count, 60_000);
  // The child reports its own CPU time and peak RSS: it has exited by now.
  const report = JSON.parse(output.trim().split('\n').pop()!) as { failed: number; cpuSeconds: number; peakRssBytes: number };
  if (report.failed > 0) throw new Error(`baseline ${kind}: ${report.failed} sends failed`);
  return {
    emailsPerSecond: count / (((sink.lastAt ?? Date.now()) - started) / 1000),
    firstEmailMs: (sink.firstAt ?? Date.now()) - started,
    usage: { label: `baseline ${kind}`, cpuSeconds: report.cpuSeconds, peakRssBytes: report.peakRssBytes },
  };
}
