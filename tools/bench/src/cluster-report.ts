import { cpus, totalmem } from 'node:os';
import type { RunResult } from './pipeline-run';
import { median } from './report';

/** How many of the namespace's streams (buckets and object stores included) the cluster runs held at R3. */
export interface Placement {
  readonly total: number;
  readonly r3: number;
  /** The others, as `name=R<n>`. */
  readonly notR3: readonly string[];
}

export interface ClusterScenario {
  readonly recipients: number;
  readonly senders: number;
  /** One nats-server, every stream R1. */
  readonly single: readonly RunResult[];
  /** Three nats-servers, STREAM_REPLICAS=3. */
  readonly cluster: readonly RunResult[];
  readonly clusterPlacement?: Placement;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}`;
const round = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (runs: readonly RunResult[]) => median(runs.map((r) => r.emailsPerSecond));

/** The cluster comparison as Markdown: medians of the runs, single-node R1 beside 3-node R3 in the same run. */
export function renderClusterReport(
  scenarios: readonly ClusterScenario[],
  meta: { sink: string; natsVersion: string; command: string; date: Date },
): string {
  const lines = [
    '# Benchmark results: 3-node cluster (R3) beside a single server (R1)',
    '',
    `Measured ${meta.date.toISOString()} with \`${meta.command}\` on ${cpus().length} cores, ` +
      `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, nats-server ${meta.natsVersion}; sink: ${meta.sink}; ` +
      '4 KB HTML body personalised per recipient, batches of 100, rate limits off, ledger on. Every figure is the median of the runs shown.',
    '',
    'Single: one nats-server, `STREAM_REPLICAS=1`. Cluster: three nats-servers on the same machine (so they share its ' +
      'cores with the services), `STREAM_REPLICAS=3` for every service. Both started by the benchmark, with the same binary; ' +
      '"R3 streams" counts the namespace\'s streams, buckets and object stores that really were R3 after the runs.',
    '',
    '| recipients | senders | runs | single R1 emails/s | cluster R3 emails/s | R3 ÷ R1 | first email R1 / R3 (ms) | completed R1 / R3 (s) | R3 streams |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of scenarios) {
    const p = s.clusterPlacement;
    lines.push(
      `| ${round(s.recipients)} | ${s.senders} | ${s.single.length} | ${round(rate(s.single))} | ${round(rate(s.cluster))} | ` +
        `${(rate(s.cluster) / rate(s.single)).toFixed(2)}× | ` +
        `${round(median(s.single.map((r) => r.firstEmailMs)))} / ${round(median(s.cluster.map((r) => r.firstEmailMs)))} | ` +
        `${(median(s.single.map((r) => r.completedMs)) / 1000).toFixed(1)} / ${(median(s.cluster.map((r) => r.completedMs)) / 1000).toFixed(1)} | ` +
        `${p ? `${p.r3} of ${p.total}${p.notR3.length ? ` (not: ${p.notR3.join(', ')})` : ''}` : '?'} |`,
    );
  }
  lines.push(
    '',
    '## Peak RSS (MB) and CPU seconds per process (median of the runs)',
    '',
    'Services: VmHWM since the process started; nats-server and the sink: sampled every 200 ms. CPU: seconds used during the run.',
    '',
  );
  for (const s of scenarios) {
    for (const [label, runs] of [['single R1', s.single], ['cluster R3', s.cluster]] as const) {
      lines.push(`### ${round(s.recipients)} recipients, ${s.senders} sender(s), ${label}`, '', '| process | peak RSS (MB) | CPU (s) |', '| --- | ---: | ---: |');
      for (const name of runs[0]?.usage.map((u) => u.label) ?? []) {
        const usages = runs.map((r) => r.usage.find((u) => u.label === name)!);
        lines.push(`| ${name} | ${mb(median(usages.map((u) => u.peakRssBytes)))} | ${median(usages.map((u) => u.cpuSeconds)).toFixed(1)} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}
