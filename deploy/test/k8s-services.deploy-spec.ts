import type { IService } from 'kubernetes-models/v1/Service';
import { effective, execForm, parseDockerfile, stage } from './support/dockerfile';
import { findObject, overlayNames, type K8sObject } from './support/kustomize';
import { loadOverlay, type Overlay } from './support/overlay';
import { readRepoFile } from './support/paths';
import {
  effectiveHttpPort,
  servedPorts,
  effectiveShutdownTimeoutMs,
  HEALTH,
  loaderProblems,
  SERVICE_NAMES,
  SERVICES,
  SHUTDOWN_EXIT_SLACK_MS,
  variableProblems,
  type ServiceName,
} from './support/services';
import { containerPort, preStopSeconds, resolveEnv, servicesSelecting, type Workload } from './support/workloads';

/**
 * The services' manifests against their code, per overlay: images vs Dockerfile targets,
 * environment vs config schemas and loaders, probes and ports vs the health endpoints and
 * HTTP_PORT, termination grace vs the shutdown drain, Secrets vs deploy/README.md. Failure
 * messages name the overlay, the object, the container and the variable.
 */
jest.setTimeout(60_000);

const dockerfile = parseDockerfile();
const readme = readRepoFile('deploy', 'README.md');

describe.each(overlayNames())('overlay %s', (overlay) => {
  let objects: readonly K8sObject[];
  let all: readonly Workload[];
  let services: readonly Workload[];
  let where: Overlay['where'];
  let serviceContainer: Overlay['serviceContainer'];
  let envOf: Overlay['envOf'];

  beforeAll(() => {
    ({ objects, workloads: all, services, where, serviceContainer, envOf } = loadOverlay(overlay));
  });

  describe('the services', () => {
    it('each runs as a Deployment with one container named after it', () => {
      expect(services.map((w) => w.name).sort()).toEqual([...SERVICE_NAMES].sort());
      expect(services.filter((w) => w.pod.containers.length !== 1).map((w) => `${where(w)} has ${w.pod.containers.length} containers`)).toEqual([]);
    });

    it('each uses the image of the Dockerfile target of the same name, pinned, starting that service’s bundle', () => {
      const problems: string[] = [];
      for (const w of services) {
        const c = serviceContainer(w);
        const image = c.image ?? '';
        const m = /(?:^|\/)mailroom\/([a-z-]+)(?::([^:/@]+))?(@sha256:[0-9a-f]+)?$/.exec(image);
        if (!m) {
          problems.push(`${where(w, c)}: image "${image}" is not a Mailroom image (…/mailroom/<target>:<tag>)`);
          continue;
        }
        if (m[1] !== w.name) problems.push(`${where(w, c)}: image "${image}" is the ${m[1]} image`);
        if (!m[3] && (!m[2] || m[2] === 'latest')) problems.push(`${where(w, c)}: image "${image}" is not pinned to a tag or digest`);
        const target = stage(dockerfile, m[1]!);
        if (!target) {
          problems.push(`${where(w, c)}: the Dockerfile has no target "${m[1]}"`);
          continue;
        }
        const cmd = effective(dockerfile, m[1]!, 'CMD');
        const argv = cmd ? execForm(cmd.args, `CMD of Dockerfile target ${m[1]}`) : [];
        if (argv.join(' ') !== `node ${SERVICES[w.name as ServiceName].bundle}`) {
          problems.push(`Dockerfile target ${m[1]}: CMD ${JSON.stringify(argv)} does not start ${SERVICES[w.name as ServiceName].bundle}`);
        }
        if (c.command || c.args) problems.push(`${where(w, c)}: overrides the image's CMD (command/args); keep one place that names the bundle`);
      }
      expect(problems).toEqual([]);
    });

    it("sets only variables the service's config schema knows, and every required one", () => {
      const problems = services.flatMap((w) => {
        const env = envOf(w);
        return [...env.problems, ...variableProblems(w.name as ServiceName, Object.keys(env.values), where(w, serviceContainer(w)))];
      });
      expect(problems).toEqual([]);
    });

    it("passes the values through the service's own config loader (secrets as placeholders)", () => {
      const problems = services.flatMap((w) =>
        loaderProblems(w.name as ServiceName, envOf(w).values).map((p) => `${where(w, serviceContainer(w))}: ${p}`),
      );
      expect(problems).toEqual([]);
    });

    it('probes the real health endpoints on the port the service listens on (HTTP_PORT)', () => {
      const problems: string[] = [];
      for (const w of services) {
        const c = serviceContainer(w);
        const port = effectiveHttpPort(w.name as ServiceName, envOf(w).values);
        const expect = [
          ['livenessProbe', HEALTH.live],
          ['readinessProbe', HEALTH.ready],
          ['startupProbe', HEALTH.live],
        ] as const;
        for (const [probe, path] of expect) {
          const get = c[probe]?.httpGet;
          if (!get) {
            problems.push(`${where(w, c)}: no ${probe} with httpGet`);
            continue;
          }
          if (get.path !== path) problems.push(`${where(w, c)}: ${probe} asks ${get.path ?? '/'}, the service serves ${path}`);
          const resolved = containerPort(c, get.port);
          if (resolved !== port) {
            problems.push(`${where(w, c)}: ${probe} port ${String(get.port)} is ${resolved ?? 'no container port'}, the service listens on HTTP_PORT ${port}`);
          }
        }
        const served = servedPorts(w.name as ServiceName, envOf(w).values);
        for (const [name, number] of Object.entries(served)) {
          const declared = c.ports?.find((p) => p.name === name);
          if (declared?.containerPort !== number) problems.push(`${where(w, c)}: containerPort "${name}" is ${declared?.containerPort}, the service listens on ${number}`);
        }
        const extra = (c.ports ?? []).filter((p) => !Object.values(served).includes(p.containerPort));
        if (extra.length > 0) {
          problems.push(`${where(w, c)}: exposes ports ${extra.map((p) => p.containerPort).join(', ')} the service does not serve (it serves ${JSON.stringify(served)})`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('has a Service whose port reaches HTTP_PORT', () => {
      const problems: string[] = [];
      for (const w of services) {
        const svc = findObject<IService>(objects, 'v1', 'Service', w.name);
        const port = effectiveHttpPort(w.name as ServiceName, envOf(w).values);
        if (!svc) {
          problems.push(`${overlay}: no Service/${w.name}`);
          continue;
        }
        if (!servicesSelecting(objects, w.podLabels).includes(svc)) problems.push(`${overlay}: Service/${w.name} does not select the pods of ${where(w)}`);
        const http = svc.spec?.ports?.find((p) => p.name === 'http');
        if (!http) problems.push(`${overlay}: Service/${w.name} has no port named http`);
        else if (containerPort(serviceContainer(w), http.targetPort ?? http.port) !== port) {
          problems.push(`${overlay}: Service/${w.name} port http targets ${String(http.targetPort)}, not HTTP_PORT ${port}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('gives SIGTERM more time than the shutdown drain (terminationGracePeriodSeconds)', () => {
      const problems: string[] = [];
      for (const w of services) {
        const c = serviceContainer(w);
        const drainMs = effectiveShutdownTimeoutMs(w.name as ServiceName, envOf(w).values);
        const neededS = preStopSeconds(c) + (drainMs + SHUTDOWN_EXIT_SLACK_MS) / 1000;
        const grace = w.pod.terminationGracePeriodSeconds ?? 30;
        if (grace <= neededS) {
          problems.push(
            `${where(w)}: terminationGracePeriodSeconds ${grace} <= preStop ${preStopSeconds(c)} s + SHUTDOWN_TIMEOUT_MS ${drainMs} ms + ${SHUTDOWN_EXIT_SLACK_MS} ms exit deadline`,
          );
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('feedback (inbound SMTP for BOUNCE_DOMAIN)', () => {
    const feedback = () => services.find((w) => w.name === 'feedback')!;
    const smtpPort = () => servedPorts('feedback', envOf(feedback()).values)['smtp'];
    /** Service ports that reach the SMTP listener, with their Service. */
    const smtpDoors = () =>
      servicesSelecting(objects, feedback().podLabels).flatMap((svc) =>
        (svc.spec?.ports ?? [])
          .filter((p) => containerPort(serviceContainer(feedback()), p.targetPort ?? p.port) === smtpPort())
          .map((p) => ({ svc, port: p })),
      );

    it('Service/feedback offers SMTP on port 25, reaching FEEDBACK_SMTP_PORT', () => {
      const doors = smtpDoors().filter((d) => d.svc.metadata.name === 'feedback');
      expect(doors.map((d) => `${d.port.name}:${d.port.port}`)).toEqual(['smtp:25']);
    });

    it('is reachable from outside the cluster on port 25 in production, with the client address kept and no HTTP port', () => {
      const outside = smtpDoors().filter((d) => d.svc.spec?.type === 'LoadBalancer' || d.svc.spec?.type === 'NodePort');
      if (!overlay.startsWith('prod')) {
        // dev: port-forward (deploy/README.md).
        expect(outside).toEqual([]);
        return;
      }
      const problems: string[] = [];
      if (outside.length !== 1) problems.push(`${overlay}: ${outside.length} LoadBalancer/NodePort Services reach feedback's SMTP port (want 1)`);
      for (const { svc, port } of outside) {
        if (port.port !== 25) problems.push(`${overlay}: Service/${svc.metadata.name} offers SMTP on ${port.port}; an MX is reached on 25`);
        if (svc.spec?.externalTrafficPolicy !== 'Local') problems.push(`${overlay}: Service/${svc.metadata.name} hides the client address (externalTrafficPolicy is not Local): the per-IP limit would see nodes`);
        const other = (svc.spec?.ports ?? []).filter((p) => p !== port).map((p) => `${p.name}:${p.port}`);
        if (other.length > 0) problems.push(`${overlay}: Service/${svc.metadata.name} also exposes ${other.join(', ')} outside the cluster`);
      }
      expect(problems).toEqual([]);
    });
  });

  it('documents in deploy/README.md how to create every Secret it references, key by key', () => {
    const refs = new Set<string>();
    for (const w of all) for (const c of w.pod.containers) for (const [secret, key] of resolveEnv(objects, c, '').secretRefs) refs.add(`${secret}/${key}`);
    const missing = [...refs].filter((r) => {
      const [secret, key] = r.split('/');
      return !new RegExp(`create secret generic ${secret}\\b[^\\n]*--from-(literal|file)=${key}=`).test(readme);
    });
    expect(missing.map((r) => `${overlay}: Secret ${r} is referenced but deploy/README.md has no "kubectl create secret generic" line for it`)).toEqual([]);
  });
});
