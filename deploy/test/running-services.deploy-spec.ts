import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { deleteNamespace, freePort, ServiceProcess, TEST_NATS_URL, uniqueNamespace } from '@mailroom/testing';
import { effective, effectiveEnv, healthcheck, parseDockerfile } from './support/dockerfile';
import { buildOverlay, ofKind, type K8sObject } from './support/kustomize';
import { SERVICE_NAMES, type ServiceName } from './support/services';
import { resolveEnv, workloads, type Container, type Workload } from './support/workloads';

/**
 * The built services (dist/, as the images run them), each started with the environment the prod
 * overlay gives its container (secrets as placeholders; NATS, namespace and port pointed at this
 * machine), answer exactly the probes, the metrics path and the Dockerfile HEALTHCHECK the
 * deployment uses, create the durable consumer KEDA reads, and leave on SIGTERM in time.
 */
jest.setTimeout(90_000);

const OVERLAY = 'prod';
const dockerfile = parseDockerfile();

interface Started {
  readonly name: ServiceName;
  readonly workload: Workload;
  readonly container: Container;
  readonly process: ServiceProcess;
}

describe(`the built services, started with the ${OVERLAY} overlay's environment`, () => {
  const namespace = uniqueNamespace('deploy');
  let objects: K8sObject[];
  const started: Started[] = [];
  let feedbackSmtpPort = 0;

  beforeAll(async () => {
    objects = buildOverlay(OVERLAY);
    const all = workloads(objects);
    const boots = SERVICE_NAMES.map(async (name) => {
      const workload = all.find((w) => w.kind === 'Deployment' && w.name === name)!;
      const container = workload.pod.containers.find((c) => c.name === name)!;
      const env = resolveEnv(objects, container, `${OVERLAY}: Deployment/${name}`);
      const values = Object.fromEntries(Object.entries(env.values).filter((e): e is [string, string] => e[1] !== undefined));
      // feedback's SMTP listener on a free port too (2525 may be taken on this machine).
      const smtp: Record<string, string> = name === 'feedback' ? { FEEDBACK_SMTP_PORT: String(await freePort()) } : {};
      const process = await ServiceProcess.start(name, {
        // The test's NATS is one server: streams cannot have the cluster's 3 replicas here.
        env: { ...values, ...smtp, NATS_URL: TEST_NATS_URL, MAILROOM_NAMESPACE: namespace, HTTP_PORT: String(await freePort()), STREAM_REPLICAS: '1' },
      });
      if (name === 'feedback') feedbackSmtpPort = Number(smtp['FEEDBACK_SMTP_PORT']);
      started.push({ name, workload, container, process });
    });
    const results = await Promise.allSettled(boots);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await Promise.all(started.map((s) => s.process.kill()));
    await deleteNamespace(namespace).catch(() => undefined);
  });

  const get = async (s: Started, path: string) => {
    const res = await fetch(`${s.process.baseUrl}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };

  it('answer the liveness, readiness and startup probes of their manifests with 200', async () => {
    const problems: string[] = [];
    for (const s of started) {
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        const path = s.container[probe]?.httpGet?.path;
        if (!path) {
          problems.push(`${OVERLAY}: Deployment/${s.name}: no ${probe}`);
          continue;
        }
        const res = await get(s, path);
        if (res.status !== 200) problems.push(`${OVERLAY}: Deployment/${s.name} ${probe} ${path} answered ${res.status}: ${res.body.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('serve Prometheus metrics on the path the ServiceMonitor scrapes', async () => {
    const monitors = ofKind<IServiceMonitor>(objects, 'monitoring.coreos.com/v1', 'ServiceMonitor');
    const paths = new Set(monitors.flatMap((m) => (m.spec.endpoints ?? []).map((e) => e.path ?? '/metrics')));
    expect([...paths]).toHaveLength(1);
    const problems: string[] = [];
    for (const s of started) {
      const res = await get(s, [...paths][0]!);
      if (res.status !== 200 || !res.type.startsWith('text/plain') || !/^process_cpu_seconds_total /m.test(res.body)) {
        problems.push(`${s.name}: ${[...paths][0]} answered ${res.status} ${res.type}, not Prometheus text`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("pass their image's HEALTHCHECK, which fails once nothing answers", async () => {
    const run = (name: ServiceName, port: number) => {
      const hc = healthcheck(effective(dockerfile, name, 'HEALTHCHECK')!);
      const [command, ...args] = hc.argv;
      const result = spawnSync(command === 'node' ? process.execPath : command!, args, {
        env: { PATH: process.env['PATH'] ?? '', ...effectiveEnv(dockerfile, name), HTTP_PORT: String(port) },
        timeout: 10_000,
      });
      return result.status;
    };
    const statuses = started.map((s) => `${s.name}:${run(s.name, s.process.port)}`);
    expect(statuses).toEqual(started.map((s) => `${s.name}:0`));
    expect(run('gateway', await freePort())).toBe(1);
  });

  it('feedback greets SMTP clients on FEEDBACK_SMTP_PORT (what the smtp container port and the Services reach)', async () => {
    const greeting = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: feedbackSmtpPort });
      socket.setTimeout(10_000, () => socket.destroy(new Error('no SMTP greeting within 10 s')));
      socket.once('data', (chunk) => {
        socket.end('QUIT\r\n');
        resolve(chunk.toString());
      });
      socket.once('error', reject);
    });
    expect(greeting).toMatch(/^220 /);
  });

  it('create at boot the durable consumer the KEDA trigger reads', async () => {
    const trigger = ofKind<IScaledObject>(objects, 'keda.sh/v1alpha1', 'ScaledObject')[0]!.spec.triggers[0]!.metadata;
    // The overlay names its own namespace ("mailroom"); this run uses a throwaway one.
    const rename = (name: string | undefined) => (name ?? '').replace(/^mailroom-/, `${namespace}-`);
    const nc = await connect({ servers: TEST_NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.consumers.info(rename(trigger['stream']), rename(trigger['consumer']));
      expect(info.config.durable_name).toBe(rename(trigger['consumer']));
    } finally {
      await nc.close();
    }
  });

  it('exit 0 on SIGTERM well within terminationGracePeriodSeconds', async () => {
    const exits = await Promise.all(
      started.map(async (s) => {
        const begin = Date.now();
        const exit = await s.process.stop((s.workload.pod.terminationGracePeriodSeconds ?? 30) * 1000);
        return { name: s.name, exit, ms: Date.now() - begin, graceMs: (s.workload.pod.terminationGracePeriodSeconds ?? 30) * 1000 };
      }),
    );
    const problems = exits
      .filter((e) => e.exit.code !== 0 || e.ms >= e.graceMs)
      .map((e) => `${e.name}: exit ${JSON.stringify(e.exit)} after ${e.ms} ms (grace ${e.graceMs} ms)`);
    expect(problems).toEqual([]);
  });
});
