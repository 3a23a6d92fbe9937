import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  defaultNatsServerBinary,
  MailroomStack,
  namespaceStreamNames,
  NatsCluster,
  NatsServerProcess,
  repoRoot,
  type StackOptions,
} from '@mailroom/testing';
import { BenchSink } from './bench-sink';
import { runPipeline, type RunResult } from './pipeline-run';
import { renderClusterReport, type ClusterScenario, type Placement } from './cluster-report';

export interface ClusterBenchOptions {
  readonly sizes: readonly number[];
  readonly senderCounts: readonly number[];
  readonly runs: number;
  readonly out?: string;
  readonly command: string;
}

/**
 * `npm run bench -- --cluster`: the same pipeline runs against a single nats-server with R1
 * streams and against a 3-node cluster with `STREAM_REPLICAS=3`, in one run, one row per size and
 * sender count: emails/s of each and their ratio (what replication costs). Both NATS setups are
 * started here with the same binary (NATS_SERVER_BIN, else nats-server on the PATH), not the
 * shared server on 4222, so neither competes with other users of it.
 */
export async function runClusterBench(options: ClusterBenchOptions): Promise<void> {
  const binary = defaultNatsServerBinary();
  if (!binary) throw new Error('nats-server not found: set NATS_SERVER_BIN or put nats-server on the PATH');
  const sink = await BenchSink.start();
  const single = await NatsServerProcess.start({ binary: binary.path });
  const cluster = await NatsCluster.start({ binary: binary.path });
  log(`sink: ${sink.kind} on ${sink.port}; nats-server ${binary.version}: single ${single.url}, cluster ${cluster.urls}`);

  const scenarios: ClusterScenario[] = [];
  try {
    for (const recipients of options.sizes) {
      for (const senders of options.senderCounts) {
        const r1 = await measure({ label: 'single R1', sink, natsUrl: single.url, replicas: 1, senders, recipients, runs: options.runs, nats: [{ label: 'nats-server', pid: single.pid }] });
        const r3 = await measure({
          label: 'cluster R3',
          sink,
          natsUrl: cluster.urls,
          replicas: 3,
          senders,
          recipients,
          runs: options.runs,
          nats: cluster.nodes.map((n) => ({ label: `nats-server ${n.name}`, pid: n.pid })),
          placement: (namespace) => placementOf(cluster, namespace),
        });
        scenarios.push({ recipients, senders, single: r1.runs, cluster: r3.runs, clusterPlacement: r3.placement });
      }
    }
  } finally {
    sink.stop();
    await cluster.destroy();
    await single.destroy();
  }
  const report = renderClusterReport(scenarios, { sink: sink.kind, natsVersion: binary.version, command: options.command, date: new Date() });
  const outPath = options.out ?? 'bench/RESULTS-cluster.md';
  const out = resolve(repoRoot(), outPath);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, report);
  process.stdout.write(`\n${report}\nWritten to ${outPath}\n`);
}

interface Setup {
  readonly label: string;
  readonly sink: BenchSink;
  readonly natsUrl: string;
  readonly replicas: number;
  readonly senders: number;
  readonly recipients: number;
  readonly runs: number;
  readonly nats: ReadonlyArray<{ label: string; pid: number | undefined }>;
  /** Reads the replicas the namespace's streams really have (a cluster only). */
  readonly placement?: (namespace: string) => Promise<Placement>;
}

async function measure(setup: Setup): Promise<{ runs: RunResult[]; placement?: Placement }> {
  const options: StackOptions = {
    smtpUrl: setup.sink.url,
    natsUrl: setup.natsUrl,
    senders: setup.senders,
    // One at a time: what is measured is sending, and a concurrent boot on a cold cluster is a test of its own.
    oneAtATime: true,
    readyTimeoutMs: 90_000,
    env: { LOG_LEVEL: 'warn', STREAM_REPLICAS: String(setup.replicas) },
    serviceEnv: { sender: { SMTP_MAX_CONNECTIONS: '10' }, gateway: { MAX_BODY_BYTES: String(200 * 1024 * 1024) } },
  };
  const stack = await MailroomStack.start(options);
  const extra = [{ label: 'smtp sink', pid: setup.sink.pid }, ...setup.nats.flatMap((n) => (n.pid ? [{ label: n.label, pid: n.pid }] : []))];
  const runs: RunResult[] = [];
  try {
    for (let i = 0; i < setup.runs; i += 1) {
      const result = await runPipeline(stack, setup.sink, setup.recipients, extra);
      log(`${setup.label} ${setup.recipients} × ${setup.senders} sender(s): ${Math.round(result.emailsPerSecond)} emails/s, first email ${result.firstEmailMs} ms`);
      runs.push(result);
    }
    // After the runs: every service has provisioned by now, so this is what the runs used.
    const placement = await setup.placement?.(stack.namespace);
    return { runs, placement };
  } finally {
    await stack.stop();
  }
}

async function placementOf(cluster: NatsCluster, namespace: string): Promise<Placement> {
  const expected = namespaceStreamNames(namespace);
  const found = await cluster.streams((name) => expected.includes(name));
  return { total: expected.length, r3: found.filter((s) => s.replicas === 3).length, notR3: found.filter((s) => s.replicas !== 3).map((s) => `${s.name.replace(`${namespace}-`, '')}=R${s.replicas}`) };
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}
