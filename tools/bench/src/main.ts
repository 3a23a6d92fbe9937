import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MailroomStack, NatsNoise, repoRoot } from '@mailroom/testing';
import { BenchSink } from './bench-sink';
import { runBaseline as runBaselineProcess } from './baseline-run';
import { runBaseline as baselineSender } from './baseline-sender';
import { runClusterBench } from './cluster-bench';
import { runImportBench } from './import-bench';
import { runEdgeBench } from './edge-bench';
import { runNodeSink } from './node-sink';
import { runPipeline, type RunResult } from './pipeline-run';
import { runSmtpWriteBench } from './smtp-write-bench';
import { runObjectWriteBench } from './object-write-bench';
import { runNatsRequestBench } from './nats-request-bench';
import { renderReport, type Scenario } from './report';

/**
 * `npm run bench`: the pipeline (four services as separate processes, real NATS, an SMTP sink in
 * its own process) against the baseline (one process, pooled nodemailer, 10 connections) in the
 * same run, and beside it Mailroom's mailer library sending directly (the pipeline's ceiling). Sub-commands `sink` and `baseline` are the child processes it starts; `import` measures
 * a subscriber-list import instead (see import-bench.ts). `--cluster` measures a 3-node R3 cluster
 * beside a single R1 server instead of the baseline (see cluster-bench.ts). `edge` measures the gateway's peak RSS under
 * unauthenticated compressed bodies and the sender's health latency under a pathological template (see edge-bench.ts).
 */
/** The bench stack's UNSUBSCRIBE_SECRET: a fixed, bench-only value (the stack is local and torn down). */
const BENCH_UNSUBSCRIBE_SECRET = 'bench-only-unsubscribe-secret-0123456789abcdef';

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      senders: { type: 'string', default: '1,2' },
      runs: { type: 'string', default: '3' },
      million: { type: 'boolean', default: false },
      port: { type: 'string' },
      url: { type: 'string' },
      count: { type: 'string' },
      kind: { type: 'string', default: 'nodemailer' },
      out: { type: 'string' },
      rows: { type: 'string', default: '1000000' },
      split: { type: 'boolean', default: false },
      'splitter-node-options': { type: 'string' },
      /** Writes V8 CPU profiles of every service to this folder (one .cpuprofile per process). */
      profile: { type: 'string' },
      /** The splitter's BATCH_WINDOW for each pipeline row (`4,0`: the fair-share window beside none, in the same run). */
      'batch-windows': { type: 'string', default: '4' },
      /** Open and click tracking for each pipeline row (`off,on`: untracked beside tracked, in the same run). */
      tracking: { type: 'string', default: 'off' },
      /** A 3-node R3 cluster beside a single R1 server (same sizes and senders), to bench/RESULTS-cluster.md. */
      cluster: { type: 'boolean', default: false },
      /** MB of unrelated streams in the NATS server for each pipeline row (`0,1024`: clean beside 1 GB of other data, in the same run). */
      'nats-noise': { type: 'string', default: '0' },
      /** Extra variables for every service of the pipeline rows, `KEY=value,KEY=value` (e.g. `RECIPIENT_EVENTS=true`). */
      env: { type: 'string', default: '' },
    },
  });
  const command = positionals[0] ?? 'pipeline';
  if (command === 'sink') return runNodeSink(Number(values.port));
  if (command === 'baseline') return baselineSender(values.kind === 'mailer' ? 'mailer' : 'nodemailer', values.url!, Number(values.count));
  if (command === 'edge') return runEdgeBench({ runs: Number(values.runs) });
  if (command === 'smtp-write') return runSmtpWriteBench({ runs: Number(values.runs), count: Number(values.count ?? 20_000) });
  if (command === 'object-write') return runObjectWriteBench({ runs: Number(values.runs), count: Number(values.count ?? 100_000) });
  if (command === 'nats-request') return runNatsRequestBench({ runs: Number(values.runs), count: Number(values.count ?? 50_000) });
  if (command === 'import') {
    return runImportBench({
      rows: Number(values.rows),
      runs: Number(values.runs),
      split: values.split,
      splitterNodeOptions: values['splitter-node-options'],
      out: values.out,
      command: `npm run bench -- ${argv.join(' ')}`.trim(),
    });
  }

  const sizes = values.sizes.split(',').map(Number);
  if (values.million) sizes.push(1_000_000);
  const senderCounts = values.senders.split(',').map(Number);
  const runs = Number(values.runs);
  const batchWindows = values['batch-windows'].split(',').map(Number);
  const trackingModes = values.tracking.split(',').map((mode) => {
    if (mode !== 'on' && mode !== 'off') throw new Error(`--tracking takes on, off or both ("off,on"), not "${mode}"`);
    return mode === 'on';
  });
  const noiseLevels = values['nats-noise'].split(',').map((mb) => {
    const level = Number(mb);
    if (!Number.isInteger(level) || level < 0) throw new Error(`--nats-noise takes megabytes (0 or more, e.g. "0,1024"), not "${mb}"`);
    return level;
  });
  if (values.cluster) {
    return runClusterBench({ sizes, senderCounts, runs, out: values.out, command: `npm run bench -- ${argv.join(' ')}`.trim() });
  }
  const sink = await BenchSink.start();
  const natsPid = Number(execSync("pgrep -o -f 'nats-server.*4222' || true").toString().trim()) || undefined;
  const extra = [{ label: 'smtp sink', pid: sink.pid }, ...(natsPid ? [{ label: 'nats-server', pid: natsPid }] : [])];
  log(`sink: ${sink.kind} on ${sink.port}; nats-server pid ${natsPid ?? 'not found'}`);

  const scenarios: Scenario[] = [];
  try {
    for (const recipients of sizes) {
      const baseline = [];
      const direct = [];
      for (let i = 0; i < runs; i += 1) {
        const result = await runBaselineProcess('nodemailer', sink, recipients);
        log(`baseline (nodemailer) ${recipients}: ${Math.round(result.emailsPerSecond)} emails/s`);
        baseline.push(result);
        const ours = await runBaselineProcess('mailer', sink, recipients);
        log(`direct (Mailroom mailer) ${recipients}: ${Math.round(ours.emailsPerSecond)} emails/s`);
        direct.push(ours);
      }
      for (const senders of senderCounts) {
        const rows = batchWindows.flatMap((w) => trackingModes.flatMap((t) => noiseLevels.map((n) => [w, t, n] as const)));
        for (const [batchWindow, tracking, natsNoiseMb] of rows) {
          const noise = natsNoiseMb > 0 ? await NatsNoise.fill(natsNoiseMb, log) : undefined;
          const stack = await MailroomStack.start({
            smtpUrl: sink.url,
            senders,
            // A deployment's own origin and secret in every row (tracking needs them; without them
            // a tracked newsletter goes out untracked), so that rows differ only in tracking.
            env: { LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'http://127.0.0.1:3000', UNSUBSCRIBE_SECRET: BENCH_UNSUBSCRIBE_SECRET, ...envOption(values.env) },
            ...(values.profile ? { nodeArgs: profiled(values.profile) } : {}),
            serviceEnv: {
              sender: { SMTP_MAX_CONNECTIONS: '10' },
              gateway: { MAX_BODY_BYTES: String(200 * 1024 * 1024) },
              splitter: { BATCH_WINDOW: String(batchWindow) },
            },
          });
          const results: RunResult[] = [];
          try {
            for (let i = 0; i < runs; i += 1) {
              const result = await runPipeline(stack, sink, recipients, extra, { tracking });
              log(
                `pipeline ${recipients} × ${senders} sender(s), batch window ${batchWindow}, tracking ${tracking ? 'on' : 'off'}, NATS noise ${natsNoiseMb} MB: ` +
                  `${Math.round(result.emailsPerSecond)} emails/s, first email ${result.firstEmailMs} ms`,
              );
              results.push(result);
            }
          } finally {
            await stack.stop();
            await noise?.remove();
          }
          scenarios.push({ recipients, senders, batchWindow, tracking, natsNoiseMb, runs: results, baseline, direct });
        }
      }
    }
  } finally {
    sink.stop();
  }
  const report = renderReport(scenarios, { sink: sink.kind, command: `npm run bench -- ${argv.join(' ')}`.trim(), date: new Date() });
  const outPath = values.out ?? 'bench/RESULTS.md';
  const out = resolve(repoRoot(), outPath);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, report);
  process.stdout.write(`\n${report}\nWritten to ${outPath}\n`);
}

/** `--env KEY=value,KEY=value` as variables. */
function envOption(value: string): Record<string, string> {
  const pairs = value.split(',').filter((pair) => pair.includes('='));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()]));
}

/** `--cpu-prof` for every service; each process writes its profile to `dir` when it exits. */
function profiled(dir: string): Partial<Record<'gateway' | 'splitter' | 'sender' | 'tracker', string[]>> {
  const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  return { gateway: args, splitter: args, sender: args, tracker: args };
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
