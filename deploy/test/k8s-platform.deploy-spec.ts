import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import { topology } from '@mailroom/contracts';
import { findObject, ofKind, overlayNames, type K8sObject } from './support/kustomize';
import { evaluate, selects, type Endpoint } from './support/network-policy';
import { loadOverlay, type Overlay } from './support/overlay';
import { readRepoFile } from './support/paths';
import { effectiveHttpPort, HEALTH, SERVICE_NAMES, servedPorts, type ServiceName } from './support/services';
import {
  containerPort,
  imageVersion,
  natsConfValue,
  parseNatsConf,
  resolveEnv,
  servicesSelecting,
  versionAtLeast,
  type NatsConf,
  type Workload,
} from './support/workloads';

/**
 * What runs around the services, per overlay: resources, Pod Security, disruption budgets, the
 * NATS cluster, the autoscalers vs the JetStream topology, the Prometheus Operator monitors vs the
 * Services, and the NetworkPolicies vs the paths the system needs.
 */
jest.setTimeout(60_000);

/** The oldest NATS the production notes accept (deploy/README.md). */
const MIN_NATS = [2, 10, 23];

const MIB = 1024 * 1024;

/**
 * Peak RSS (VmHWM, MiB) measured per container, the floor of its memory request in production:
 * the highest of the runs of bench/RESULTS-1M.md (1,000,000 recipients, two senders; 2026-12-06:
 * senders 230 and 231, tracker 128, nats-server 415 sampled; 2026-11-28: senders 217 and 215,
 * tracker 126, nats-server 442), bench/RESULTS.md (gateway 196 with 100,000 inline recipients) and
 * issue 13's run (splitter 225). deploy/README.md, "Sizing", quotes the same figures.
 */
const MEASURED_PEAK_MIB: Readonly<Record<string, number>> = { gateway: 196, splitter: 225, sender: 231, tracker: 128, nats: 442 };

/** A Kubernetes memory quantity ("768Mi", "1Gi", "512M", "1000000") in bytes. */
function quantityBytes(quantity: string | number | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity));
  if (!m) throw new Error(`not a memory quantity: ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

/** A Go GOMEMLIMIT value ("1300MiB", "1GiB", bytes) in bytes. */
function goMemLimitBytes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(value);
  if (!m) throw new Error(`not a GOMEMLIMIT: ${value}`);
  return Number(m[1]) * ({ B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 }[m[2] ?? 'B'] ?? 1);
}

describe.each(overlayNames())('overlay %s', (overlay) => {
  let objects: readonly K8sObject[];
  let all: readonly Workload[];
  let services: readonly Workload[];
  let namespace: string;
  let config: Overlay['config'];
  let where: Overlay['where'];
  let serviceContainer: Overlay['serviceContainer'];
  let envOf: Overlay['envOf'];

  beforeAll(() => {
    ({ objects, workloads: all, services, namespace, config, where, serviceContainer, envOf } = loadOverlay(overlay));
  });

  it('gives every container CPU and memory requests and limits', () => {
    const problems = all.flatMap((w) =>
      w.pod.containers.flatMap((c) =>
        (['requests', 'limits'] as const).flatMap((kind) =>
          (['cpu', 'memory'] as const)
            .filter((r) => c.resources?.[kind]?.[r] === undefined)
            .map((r) => `${where(w, c)}: no ${r} ${kind}`),
        ),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('requests at least the measured peak memory of each process in production, and limits above the request', () => {
    const problems: string[] = [];
    for (const w of all) {
      for (const c of w.pod.containers) {
        const request = quantityBytes(c.resources?.requests?.['memory']);
        const limit = quantityBytes(c.resources?.limits?.['memory']);
        if (request !== undefined && limit !== undefined && limit <= request) problems.push(`${where(w, c)}: memory limit ${limit} B is not above the request ${request} B`);
        const peak = MEASURED_PEAK_MIB[c.name];
        // dev is sized for a laptop, not for the 1,000,000-recipient case.
        if (overlay === 'dev' || peak === undefined) continue;
        if (request === undefined || request < peak * MIB) problems.push(`${where(w, c)}: memory request ${c.resources?.requests?.['memory']} is below the measured peak of ${peak} MiB`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives all services the same STREAM_REPLICAS, no more than the NATS servers, 3 in production', () => {
    const values = services.map((w) => ({ service: w.name, replicas: envOf(w).values['STREAM_REPLICAS'] }));
    const distinct = [...new Set(values.map((v) => v.replicas))];
    expect({ overlay, distinct, values }).toEqual({ overlay, distinct: [distinct[0]], values });
    expect(distinct[0]).toMatch(/^\d+$/);
    const nats = findObject<IStatefulSet>(objects, 'apps/v1', 'StatefulSet', 'nats');
    expect(Number(distinct[0])).toBeLessThanOrEqual(nats?.spec?.replicas ?? 1);
    if (overlay.startsWith('prod')) expect(distinct).toEqual(['3']);
  });

  it('spreads every service over nodes and zones', () => {
    const problems: string[] = [];
    for (const w of services) {
      for (const key of ['kubernetes.io/hostname', 'topology.kubernetes.io/zone']) {
        const spread = (w.pod.topologySpreadConstraints ?? []).find((t) => t.topologyKey === key);
        if (!spread) problems.push(`${where(w)}: no topologySpreadConstraint on ${key}`);
        else if (!selects(spread.labelSelector, w.podLabels)) problems.push(`${where(w)}: the ${key} spread does not select its own pods`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps every pod within the namespace's Pod Security level (restricted)", () => {
    const ns = ofKind<INamespace>(objects, 'v1', 'Namespace')[0]!;
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const allowedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    const problems: string[] = [];
    for (const w of all) {
      const pod = w.pod;
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${where(w)}: uses host namespaces`);
      for (const v of pod.volumes ?? []) {
        const types = Object.keys(v).filter((k) => k !== 'name');
        if (!types.every((t) => allowedVolumes.includes(t))) problems.push(`${where(w)}: volume ${v.name} is ${types.join(',')}`);
      }
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const sc = c.securityContext ?? {};
        if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) problems.push(`${where(w, c)}: runAsNonRoot is not true`);
        if ((sc.runAsUser ?? pod.securityContext?.runAsUser) === 0) problems.push(`${where(w, c)}: runs as uid 0`);
        if (sc.allowPrivilegeEscalation !== false) problems.push(`${where(w, c)}: allowPrivilegeEscalation is not false`);
        if (sc.privileged) problems.push(`${where(w, c)}: privileged`);
        if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${where(w, c)}: does not drop ALL capabilities`);
        if ((sc.capabilities?.add ?? []).some((cap) => cap !== 'NET_BIND_SERVICE')) problems.push(`${where(w, c)}: adds capabilities`);
        const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
        if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where(w, c)}: no RuntimeDefault seccomp profile`);
        if ((c.ports ?? []).some((p) => p.hostPort)) problems.push(`${where(w, c)}: uses a hostPort`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has one PodDisruptionBudget per workload that selects only its pods and still allows an eviction', () => {
    const pdbs = ofKind<IPodDisruptionBudget>(objects, 'policy/v1', 'PodDisruptionBudget');
    const problems: string[] = [];
    for (const w of all) {
      const mine = pdbs.filter((p) => selects(p.spec?.selector, w.podLabels));
      if (mine.length !== 1) problems.push(`${where(w)}: ${mine.length} PodDisruptionBudgets select its pods (want 1)`);
      for (const p of mine) {
        const others = all.filter((o) => o !== w && selects(p.spec?.selector, o.podLabels)).map((o) => `${o.kind}/${o.name}`);
        if (others.length > 0 && w.name !== 'mailpit') problems.push(`${overlay}: PodDisruptionBudget/${p.metadata.name} also selects ${others.join(', ')}`);
        const maxUnavailable = p.spec?.maxUnavailable;
        if (maxUnavailable === undefined || maxUnavailable === 0 || maxUnavailable === '0%') {
          problems.push(`${overlay}: PodDisruptionBudget/${p.metadata.name} must allow one pod to go (maxUnavailable >= 1)`);
        }
      }
    }
    // Mailpit (dev only) is a throwaway mail catcher: no budget needed.
    expect(problems.filter((p) => !p.includes('Deployment/mailpit: 0 PodDisruptionBudgets'))).toEqual([]);
  });

  describe('NATS', () => {
    let sts: IStatefulSet & K8sObject;
    let nats: Workload;
    let conf: NatsConf;

    beforeAll(() => {
      sts = findObject<IStatefulSet>(objects, 'apps/v1', 'StatefulSet', 'nats')!;
      expect(sts).toBeDefined();
      nats = all.find((w) => w.kind === 'StatefulSet' && w.name === 'nats')!;
      const volume = nats.pod.volumes?.find((v) => v.name === 'config');
      const cm = findObject<IConfigMap>(objects, 'v1', 'ConfigMap', volume?.configMap?.name ?? '');
      expect(cm?.data?.['nats.conf']).toBeDefined();
      conf = parseNatsConf(cm!.data!['nats.conf']!);
    });

    const natsContainer = () => nats.pod.containers.find((c) => c.name === 'nats')!;

    it('is a 3-server JetStream cluster on persistent volumes, fsync before ack, at most one server down', () => {
      const problems: string[] = [];
      if (sts.spec?.replicas !== 3) problems.push(`${overlay}: StatefulSet/nats has ${sts.spec?.replicas} replicas, want 3`);
      const storeDir = natsConfValue(conf, 'jetstream.store_dir');
      const claims = (sts.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name);
      const mount = natsContainer().volumeMounts?.find((m) => m.mountPath === storeDir);
      if (!storeDir) problems.push(`${overlay}: nats.conf has no jetstream.store_dir`);
      else if (!mount || !claims.includes(mount.name)) {
        problems.push(`${overlay}: the JetStream store_dir ${storeDir} is not on a volumeClaimTemplate (claims: ${claims.join(', ')})`);
      }
      if (natsConfValue(conf, 'jetstream.sync_interval') !== 'always') problems.push(`${overlay}: nats.conf jetstream.sync_interval is not "always"`);
      const routes = conf['cluster'] && typeof conf['cluster'] === 'object' && !Array.isArray(conf['cluster']) ? conf['cluster']['routes'] : undefined;
      const clusterPort = natsConfValue(conf, 'cluster.port');
      const wantRoutes = [0, 1, 2].map((i) => `nats://${sts.metadata.name}-${i}.${sts.spec?.serviceName}:${clusterPort}`);
      if (JSON.stringify(routes) !== JSON.stringify(wantRoutes)) {
        problems.push(`${overlay}: nats.conf cluster.routes ${JSON.stringify(routes)} should be ${JSON.stringify(wantRoutes)}`);
      }
      const pdb = ofKind<IPodDisruptionBudget>(objects, 'policy/v1', 'PodDisruptionBudget').find((p) => selects(p.spec?.selector, nats.podLabels));
      if (pdb?.spec?.maxUnavailable !== 1) problems.push(`${overlay}: the NATS PodDisruptionBudget must keep a quorum (maxUnavailable: 1)`);
      const version = imageVersion(natsContainer().image ?? '');
      if (!version || !versionAtLeast(version, MIN_NATS)) {
        problems.push(`${overlay}: NATS image ${natsContainer().image} is older than ${MIN_NATS.join('.')} (or has no version tag)`);
      }
      expect(problems).toEqual([]);
    });

    it('serves its ports where the config, the probes and the Services expect them', () => {
      const c = natsContainer();
      const problems: string[] = [];
      const ports: [string, string | undefined][] = [
        ['client', natsConfValue(conf, 'port')],
        ['cluster', natsConfValue(conf, 'cluster.port')],
        ['monitor', natsConfValue(conf, 'http_port')],
      ];
      for (const [name, configured] of ports) {
        if (String(containerPort(c, name)) !== configured) problems.push(`${overlay}: nats container port ${name} is ${containerPort(c, name)}, nats.conf says ${configured}`);
      }
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        const get = c[probe]?.httpGet;
        if (!get?.path?.startsWith('/healthz') || containerPort(c, get.port) !== Number(natsConfValue(conf, 'http_port'))) {
          problems.push(`${overlay}: nats ${probe} is not /healthz on the monitoring port`);
        }
      }
      const headless = findObject<IService>(objects, 'v1', 'Service', sts.spec?.serviceName ?? '');
      if (!headless || headless.spec?.clusterIP !== 'None' || !headless.spec.publishNotReadyAddresses) {
        problems.push(`${overlay}: StatefulSet/nats serviceName ${sts.spec?.serviceName} is not a headless Service publishing not-ready addresses`);
      }
      // server_name must be the pod name: KEDA finds the consumer leader as <server_name>.<headless>.
      const serverName = natsConfValue(conf, 'server_name');
      const podName = c.env?.find((e) => `$${e.name}` === serverName)?.valueFrom?.fieldRef?.fieldPath;
      if (podName !== 'metadata.name') problems.push(`${overlay}: nats.conf server_name ${serverName} is not the pod name`);
      expect(problems).toEqual([]);
    });

    it('sets GOMEMLIMIT to 80-90 % of the container memory limit', () => {
      const c = natsContainer();
      const gomemlimit = c.env?.find((e) => e.name === 'GOMEMLIMIT')?.value;
      const limit = quantityBytes(c.resources?.limits?.['memory']);
      const soft = goMemLimitBytes(gomemlimit);
      expect({ gomemlimit, limit: c.resources?.limits?.['memory'] }).toEqual({ gomemlimit: expect.any(String), limit: expect.any(String) });
      expect(soft! / limit!).toBeGreaterThanOrEqual(0.8);
      expect(soft! / limit!).toBeLessThanOrEqual(0.9);
    });

    it('puts its servers on different nodes (required in production) and spreads them over zones', () => {
      const antiAffinity = nats.pod.affinity?.podAntiAffinity;
      const required = (antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
        (t) => t.topologyKey === 'kubernetes.io/hostname' && selects(t.labelSelector, nats.podLabels),
      );
      const preferred = (antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).some(
        (t) => t.podAffinityTerm.topologyKey === 'kubernetes.io/hostname' && selects(t.podAffinityTerm.labelSelector, nats.podLabels),
      );
      // dev runs the three servers on one laptop node: preferred there.
      expect({ overlay, spreadOverNodes: overlay === 'dev' ? required || preferred : required }).toEqual({ overlay, spreadOverNodes: true });
      const zone = (nats.pod.topologySpreadConstraints ?? []).find((t) => t.topologyKey === 'topology.kubernetes.io/zone');
      expect(zone && selects(zone.labelSelector, nats.podLabels)).toBe(true);
    });

    it('is what NATS_URL in mailroom-config points at', () => {
      const url = new URL(config.data?.['NATS_URL'] ?? '');
      const svc = findObject<IService>(objects, 'v1', 'Service', url.hostname);
      const port = svc?.spec?.ports?.find((p) => p.port === Number(url.port));
      const problems: string[] = [];
      if (!svc || !servicesSelecting(objects, nats.podLabels).includes(svc)) problems.push(`${overlay}: NATS_URL host ${url.hostname} is not a Service selecting the NATS pods`);
      else if (!port || containerPort(natsContainer(), port.targetPort ?? port.port) !== Number(natsConfValue(conf, 'port'))) {
        problems.push(`${overlay}: NATS_URL port ${url.port} does not reach the NATS client port`);
      }
      expect(problems).toEqual([]);
    });
  });

  describe('autoscaling the senders', () => {
    const batchTopology = () => topology(config.data?.['MAILROOM_NAMESPACE'] ?? '');

    it('has at most one autoscaler per Deployment, and leaves replicas to it', () => {
      const scaled = [
        ...ofKind<IScaledObject>(objects, 'keda.sh/v1alpha1', 'ScaledObject').map((s) => s.spec.scaleTargetRef.name),
        ...ofKind<IHorizontalPodAutoscaler>(objects, 'autoscaling/v2', 'HorizontalPodAutoscaler').map((h) => h.spec?.scaleTargetRef.name ?? ''),
      ];
      const problems: string[] = [];
      for (const name of new Set(scaled)) {
        if (scaled.filter((n) => n === name).length > 1) problems.push(`${overlay}: Deployment/${name} has a ScaledObject and an HPA (KEDA owns an HPA itself)`);
        const target = all.find((w) => w.kind === 'Deployment' && w.name === name);
        if (!target) problems.push(`${overlay}: an autoscaler targets Deployment/${name}, which does not exist`);
        else if (target.replicas !== undefined) problems.push(`${overlay}: Deployment/${name} sets replicas although an autoscaler owns them`);
      }
      if (scaled.length === 0) {
        const sender = services.find((w) => w.name === 'sender');
        if ((sender?.replicas ?? 1) < 2) problems.push(`${overlay}: without an autoscaler the senders need a fixed count of at least 2`);
      }
      expect(problems).toEqual([]);
    });

    it('KEDA reads the backlog of the consumer the senders create, from the NATS monitoring endpoint', () => {
      const scaledObjects = ofKind<IScaledObject>(objects, 'keda.sh/v1alpha1', 'ScaledObject');
      const problems: string[] = [];
      for (const so of scaledObjects) {
        const where = `${overlay}: ScaledObject/${so.metadata.name}`;
        if ((so.spec.minReplicaCount ?? 0) < 1) problems.push(`${where}: minReplicaCount must be >= 1 (the sender creates the durable KEDA reads)`);
        if ((so.spec.maxReplicaCount ?? 100) < (so.spec.minReplicaCount ?? 0)) problems.push(`${where}: maxReplicaCount below minReplicaCount`);
        const triggers = so.spec.triggers.filter((t) => t.type === 'nats-jetstream');
        if (triggers.length !== 1) problems.push(`${where}: want one nats-jetstream trigger, has ${triggers.length}`);
        for (const t of triggers) {
          const expected = { stream: batchTopology().streams.batches, consumer: batchTopology().consumers.sender, account: '$G' };
          for (const [key, value] of Object.entries(expected)) {
            if (t.metadata[key] !== value) problems.push(`${where}: trigger ${key} is "${t.metadata[key]}", want "${value}" (MAILROOM_NAMESPACE ${batchTopology().namespace})`);
          }
          const sts = findObject<IStatefulSet>(objects, 'apps/v1', 'StatefulSet', 'nats');
          const headless = findObject<IService>(objects, 'v1', 'Service', sts?.spec?.serviceName ?? '');
          const monitor = headless?.spec?.ports?.find((p) => p.name === 'monitor');
          const want = `${sts?.spec?.serviceName}.${namespace}.svc.cluster.local:${monitor?.port}`;
          if (t.metadata['natsServerMonitoringEndpoint'] !== want) {
            problems.push(`${where}: natsServerMonitoringEndpoint is "${t.metadata['natsServerMonitoringEndpoint']}", want "${want}"`);
          }
          if (!/^\d+$/.test(t.metadata['lagThreshold'] ?? '')) problems.push(`${where}: lagThreshold must be a whole number`);
        }
      }
      if (overlay === 'prod') expect(scaledObjects.map((s) => s.spec.scaleTargetRef.name)).toEqual(['sender']);
      expect(problems).toEqual([]);
    });

    it('the HPA alternative scales on the metric prometheus-adapter serves for the same consumer', () => {
      const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'autoscaling/v2', 'HorizontalPodAutoscaler');
      const adapter = parse(readRepoFile('deploy', 'k8s', 'autoscaling', 'hpa', 'prometheus-adapter-values.yaml')) as {
        rules: { external: { seriesQuery: string; name: { as: string }; metricsQuery: string }[] };
      };
      const served = adapter.rules.external.map((r) => r.name.as);
      const problems: string[] = [];
      for (const hpa of hpas) {
        const where = `${overlay}: HorizontalPodAutoscaler/${hpa.metadata.name}`;
        if ((hpa.spec?.minReplicas ?? 1) < 1) problems.push(`${where}: minReplicas must be >= 1`);
        for (const metric of hpa.spec?.metrics ?? []) {
          if (metric.type !== 'External' || !metric.external) continue;
          if (!served.includes(metric.external.metric.name)) problems.push(`${where}: metric ${metric.external.metric.name} is not one prometheus-adapter-values.yaml serves (${served.join(', ')})`);
          const labels = metric.external.metric.selector?.matchLabels ?? {};
          if (labels['stream_name'] !== batchTopology().streams.batches || labels['consumer_name'] !== batchTopology().consumers.sender) {
            problems.push(`${where}: selector ${JSON.stringify(labels)} is not the sender consumer ${batchTopology().consumers.sender} on ${batchTopology().streams.batches}`);
          }
        }
      }
      for (const rule of adapter.rules.external) {
        if (!rule.metricsQuery.includes('jetstream_consumer_num_pending') || !rule.metricsQuery.includes('jetstream_consumer_num_ack_pending')) {
          problems.push(`prometheus-adapter-values.yaml: ${rule.name.as} should add num_pending and num_ack_pending (what KEDA uses)`);
        }
      }
      if (overlay === 'prod-hpa') expect(hpas.map((h) => h.spec?.scaleTargetRef.name)).toEqual(['sender']);
      expect(problems).toEqual([]);
    });
  });

  describe('monitoring', () => {
    it('scrapes /metrics of every service through its Service, and the NATS exporter', () => {
      const monitors = ofKind<IServiceMonitor>(objects, 'monitoring.coreos.com/v1', 'ServiceMonitor');
      const podMonitors = ofKind<IPodMonitor>(objects, 'monitoring.coreos.com/v1', 'PodMonitor');
      if (overlay === 'dev') {
        // dev needs no Prometheus Operator CRDs.
        expect([...monitors, ...podMonitors]).toEqual([]);
        return;
      }
      const problems: string[] = [];
      for (const w of services) {
        const svc = findObject<IService>(objects, 'v1', 'Service', w.name)!;
        const covering = monitors.filter((m) => !m.spec.namespaceSelector && selects(m.spec.selector, svc.metadata.labels ?? {}));
        if (covering.length !== 1) problems.push(`${overlay}: ${covering.length} ServiceMonitors select Service/${w.name} (want 1)`);
        for (const m of covering) {
          for (const e of m.spec.endpoints ?? []) {
            const port = svc.spec?.ports?.find((p) => p.name === e.port);
            if (!port) problems.push(`${overlay}: ServiceMonitor/${m.metadata.name} scrapes port "${e.port}", which Service/${w.name} does not have`);
            else if (containerPort(serviceContainer(w), port.targetPort ?? port.port) !== effectiveHttpPort(w.name as ServiceName, envOf(w).values)) {
              problems.push(`${overlay}: ServiceMonitor/${m.metadata.name} port ${e.port} of Service/${w.name} is not the HTTP port serving /metrics`);
            }
            if ((e.path ?? '/metrics') !== HEALTH.metrics) problems.push(`${overlay}: ServiceMonitor/${m.metadata.name} path ${e.path}, the services serve ${HEALTH.metrics}`);
          }
        }
      }
      const nats = all.find((w) => w.name === 'nats')!;
      const natsMonitors = podMonitors.filter((m) => selects(m.spec.selector, nats.podLabels));
      if (natsMonitors.length !== 1) problems.push(`${overlay}: ${natsMonitors.length} PodMonitors select the NATS pods (want 1)`);
      for (const m of natsMonitors) {
        for (const e of m.spec.podMetricsEndpoints ?? []) {
          const exporter = nats.pod.containers.find((c) => c.ports?.some((p) => p.name === e.port));
          if (!exporter) problems.push(`${overlay}: PodMonitor/${m.metadata.name} scrapes port "${e.port}", which no NATS container has`);
          else if (!(exporter.args ?? []).includes(`-port=${containerPort(exporter, e.port)}`)) {
            problems.push(`${overlay}: PodMonitor/${m.metadata.name}: the exporter does not listen on port ${e.port}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('NetworkPolicies', () => {
    const policies = () => ofKind<INetworkPolicy>(objects, 'networking.k8s.io/v1', 'NetworkPolicy');
    const nsLabels = () => ({ 'kubernetes.io/metadata.name': namespace });
    const pod = (name: string): Endpoint => {
      const w = all.find((x) => x.name === name);
      if (!w) throw new Error(`${overlay}: no workload ${name}`);
      const ports = Object.fromEntries(w.pod.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.name).map((p) => [p.name!, p.containerPort])));
      return { kind: 'pod', namespace, namespaceLabels: nsLabels(), labels: w.podLabels, ports, describe: `${w.kind}/${w.name}` };
    };
    const foreign = (ns: string, labels: Record<string, string> = {}): Endpoint => ({
      kind: 'pod',
      namespace: ns,
      namespaceLabels: { 'kubernetes.io/metadata.name': ns },
      labels,
      describe: `a pod in namespace ${ns}`,
    });
    const internet: Endpoint = { kind: 'external', ip: '203.0.113.25', describe: 'an address outside the cluster' };
    const privateAddress = (ip: string): Endpoint => ({ kind: 'external', ip, describe: `the private address ${ip}` });
    const dns = foreign('kube-system', { 'k8s-app': 'kube-dns' });
    const port = (service: ServiceName) => effectiveHttpPort(service, resolveEnv(objects, all.find((w) => w.name === service)!.pod.containers[0]!, '').values);
    /** Where feedback receives bounces (FEEDBACK_SMTP_PORT as its container gets it). */
    const bouncePort = () => servedPorts('feedback', resolveEnv(objects, all.find((w) => w.name === 'feedback')!.pod.containers[0]!, '').values)['smtp']!;

    it('let through every path the system needs', () => {
      const needed: [Endpoint, Endpoint, number, ('TCP' | 'UDP')?][] = [
        ...SERVICE_NAMES.map((s): [Endpoint, Endpoint, number] => [pod(s), pod('nats'), 4222]),
        ...SERVICE_NAMES.map((s): [Endpoint, Endpoint, number, 'UDP'] => [pod(s), dns, 53, 'UDP']),
        [pod('nats'), dns, 53, 'UDP'],
        [pod('nats'), pod('nats'), 6222],
        [internet, pod('gateway'), port('gateway')],
        [foreign('ingress-nginx'), pod('gateway'), port('gateway')],
        ...SERVICE_NAMES.map((s): [Endpoint, Endpoint, number] => [foreign('monitoring'), pod(s), port(s)]),
        [foreign('monitoring'), pod('nats'), 7777],
        [foreign('keda'), pod('nats'), 8222],
        overlay === 'dev' ? [pod('sender'), pod('mailpit'), 1025] : [pod('sender'), internet, 587],
        [pod('sender'), internet, 465],
        // Webhook receivers (the callers' webhookUrl, https or http).
        [pod('tracker'), internet, 443],
        [pod('tracker'), internet, 80],
        // Bounces and complaints: the mail servers on the Internet (the MX), or a relay in the cluster.
        [internet, pod('feedback'), bouncePort()],
        [foreign('mail-relay'), pod('feedback'), bouncePort()],
      ];
      const blocked = needed
        .map(([from, to, p, protocol]) => ({ c: `${from.describe} -> ${to.describe}:${p}`, r: evaluate(policies(), { from, to, port: p, protocol }) }))
        .filter((x) => !x.r.allowed)
        .map((x) => `${overlay}: ${x.c} is blocked (${x.r.reason})`);
      expect(blocked).toEqual([]);
    });

    it('block everything else that could reach NATS, the workers or the Internet', () => {
      const forbidden: [Endpoint, Endpoint, number][] = [
        [foreign('default'), pod('nats'), 4222],
        [internet, pod('nats'), 4222],
        [foreign('monitoring'), pod('nats'), 4222],
        [foreign('default'), pod('sender'), port('sender')],
        [pod('gateway'), pod('sender'), port('sender')],
        [pod('gateway'), pod('tracker'), port('tracker')],
        [internet, pod('splitter'), port('splitter')],
        [pod('gateway'), internet, 443],
        [pod('splitter'), internet, 587],
        [pod('tracker'), internet, 587],
        // Webhooks go to the Internet, never into the pod/Service networks or the metadata endpoint.
        [pod('tracker'), privateAddress('10.244.1.7'), 443],
        [pod('tracker'), privateAddress('172.20.0.10'), 443],
        [pod('tracker'), privateAddress('192.168.1.20'), 80],
        [pod('tracker'), privateAddress('100.64.3.4'), 443],
        [pod('tracker'), privateAddress('169.254.169.254'), 80],
        [pod('tracker'), privateAddress('127.0.0.1'), 443],
        [pod('gateway'), internet, 80],
        [pod('sender'), internet, 443],
        [pod('nats'), internet, 443],
        [foreign('keda'), pod('nats'), 4222],
        [foreign('default'), pod('nats'), 8222],
        // feedback takes SMTP only: its HTTP port (health, metrics) is Prometheus's, and it sends nothing out.
        [internet, pod('feedback'), port('feedback')],
        [foreign('default'), pod('feedback'), port('feedback')],
        [pod('gateway'), pod('feedback'), port('feedback')],
        [pod('feedback'), internet, 25],
        [pod('feedback'), internet, 443],
        [pod('feedback'), pod('sender'), port('sender')],
      ];
      const open = forbidden
        .filter(([from, to, p]) => evaluate(policies(), { from, to, port: p }).allowed)
        .map(([from, to, p]) => `${overlay}: ${from.describe} -> ${to.describe}:${p} is allowed`);
      expect(open).toEqual([]);
    });
  });

});
