import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import { findObject, ofKind, type K8sObject } from './kustomize';
import { SECRET_PLACEHOLDERS, type Env } from './services';

export type PodSpec = NonNullable<NonNullable<IDeployment['spec']>['template']['spec']>;
export type Container = PodSpec['containers'][number];
export type Probe = NonNullable<Container['readinessProbe']>;

export interface Workload {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  readonly namespace: string;
  /** undefined: the manifest leaves the count to an autoscaler. */
  readonly replicas: number | undefined;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly pod: PodSpec;
  readonly object: K8sObject;
}

export function workloads(objects: readonly K8sObject[]): Workload[] {
  const deployments = ofKind<IDeployment>(objects, 'apps/v1', 'Deployment');
  const statefulSets = ofKind<IStatefulSet>(objects, 'apps/v1', 'StatefulSet');
  return [
    ...deployments.map((d) => toWorkload('Deployment', d, d.spec?.replicas, d.spec?.template)),
    ...statefulSets.map((s) => toWorkload('StatefulSet', s, s.spec?.replicas, s.spec?.template)),
  ];
}

function toWorkload(
  kind: Workload['kind'],
  object: K8sObject,
  replicas: number | undefined,
  template: NonNullable<IDeployment['spec']>['template'] | undefined,
): Workload {
  if (!template?.spec) throw new Error(`${kind}/${object.metadata.name} has no pod template`);
  return {
    kind,
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? '',
    replicas,
    podLabels: template.metadata?.labels ?? {},
    pod: template.spec,
    object,
  };
}

export interface ResolvedEnv {
  /** Every variable the container gets, with its value (secrets: a placeholder of the right shape). */
  readonly values: Env;
  /** Where each variable comes from: value, ConfigMap <name>, Secret <name>/<key>. */
  readonly sources: Readonly<Record<string, string>>;
  /** Secret references: [secret, key, variable]. */
  readonly secretRefs: readonly (readonly [string, string, string])[];
  readonly problems: readonly string[];
}

/** A container's environment as the kubelet would assemble it (envFrom first, env overrides). */
export function resolveEnv(objects: readonly K8sObject[], container: Container, where: string): ResolvedEnv {
  const values: Env = {};
  const sources: Record<string, string> = {};
  const secretRefs: [string, string, string][] = [];
  const problems: string[] = [];
  const configMap = (name: string) => findObject<IConfigMap>(objects, 'v1', 'ConfigMap', name);
  for (const from of container.envFrom ?? []) {
    if (from.secretRef) {
      problems.push(`${where}: envFrom Secret ${from.secretRef.name} hides which variables it sets; use env[].valueFrom.secretKeyRef`);
      continue;
    }
    if (!from.configMapRef) continue;
    const cm = configMap(from.configMapRef.name!);
    if (!cm) {
      problems.push(`${where}: envFrom ConfigMap ${from.configMapRef.name} is not in the overlay`);
      continue;
    }
    for (const [key, value] of Object.entries(cm.data ?? {})) {
      values[`${from.prefix ?? ''}${key}`] = value;
      sources[`${from.prefix ?? ''}${key}`] = `ConfigMap ${cm.metadata.name}`;
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      values[variable.name] = variable.value ?? '';
      sources[variable.name] = 'value';
    } else if (from.secretKeyRef) {
      secretRefs.push([from.secretKeyRef.name!, from.secretKeyRef.key, variable.name]);
      sources[variable.name] = `Secret ${from.secretKeyRef.name}/${from.secretKeyRef.key}`;
      const placeholder = SECRET_PLACEHOLDERS[variable.name];
      if (placeholder === undefined) {
        problems.push(`${where}: ${variable.name} comes from a Secret; add a placeholder for it to SECRET_PLACEHOLDERS in deploy/test/support/services.ts`);
      }
      values[variable.name] = placeholder ?? '';
    } else if (from.configMapKeyRef) {
      const cm = configMap(from.configMapKeyRef.name!);
      const value = cm?.data?.[from.configMapKeyRef.key];
      if (value === undefined && from.configMapKeyRef.optional !== true) {
        problems.push(`${where}: ${variable.name} refers to ConfigMap ${from.configMapKeyRef.name} key ${from.configMapKeyRef.key}, which the overlay does not have`);
      }
      values[variable.name] = value ?? '';
      sources[variable.name] = `ConfigMap ${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`;
    } else {
      values[variable.name] = '';
      sources[variable.name] = 'fieldRef/resourceFieldRef';
    }
  }
  return { values, sources, secretRefs, problems };
}

/** A container port by name or number. */
export function containerPort(container: Container, port: number | string | undefined): number | undefined {
  if (port === undefined) return undefined;
  if (typeof port === 'number') return container.ports?.some((p) => p.containerPort === port) ? port : undefined;
  if (/^\d+$/.test(port)) return containerPort(container, Number(port));
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** Services whose selector picks these pod labels. */
export function servicesSelecting(objects: readonly K8sObject[], labels: Readonly<Record<string, string>>): (IService & K8sObject)[] {
  return ofKind<IService>(objects, 'v1', 'Service').filter((s) => {
    const selector = s.spec?.selector;
    return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

export const httpGetOf = (probe: Probe | undefined) => probe?.httpGet;

/** Seconds a preStop hook of the form exec ["sleep", "N"] (or sleep: {seconds}) holds the pod. */
export function preStopSeconds(container: Container): number {
  const hook = container.lifecycle?.preStop;
  if (!hook) return 0;
  if (hook.sleep) return hook.sleep.seconds;
  const command = hook.exec?.command ?? [];
  const sleep = command.findIndex((c) => /(^|\/)sleep$/.test(c));
  return sleep >= 0 ? Number(command[sleep + 1] ?? 0) : 0;
}

/**
 * A NATS server config file (the subset we write): `key: value` / `key = value` lines, `name {`
 * blocks and `[ ... ]` lists, comments with #. Values stay strings.
 */
export type NatsConf = { [key: string]: string | string[] | NatsConf };

export function parseNatsConf(text: string): NatsConf {
  const root: NatsConf = {};
  const stack: NatsConf[] = [root];
  let list: { key: string; items: string[] } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const top = stack[stack.length - 1]!;
    if (list) {
      if (line === ']') {
        top[list.key] = list.items;
        list = undefined;
      } else {
        list.items.push(line.replace(/,$/, ''));
      }
      continue;
    }
    if (line === '}') {
      stack.pop();
      continue;
    }
    const block = /^(\w+)\s*[:=]?\s*\{$/.exec(line);
    if (block) {
      const child: NatsConf = {};
      top[block[1]!] = child;
      stack.push(child);
      continue;
    }
    const open = /^(\w+)\s*[:=]\s*\[$/.exec(line);
    if (open) {
      list = { key: open[1]!, items: [] };
      continue;
    }
    const pair = /^(\w+)\s*[:=]\s*(.+)$/.exec(line);
    if (!pair) throw new Error(`cannot read NATS config line: ${raw}`);
    top[pair[1]!] = pair[2]!.replace(/^"|"$/g, '');
  }
  return root;
}

export function natsConfValue(conf: NatsConf, path: string): string | undefined {
  let node: string | string[] | NatsConf | undefined = conf;
  for (const part of path.split('.')) {
    if (!node || typeof node === 'string' || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** "nats:2.12.11-alpine" -> [2, 12, 11]; undefined when the tag is not a version. */
export function imageVersion(image: string): number[] | undefined {
  const tag = /:v?(\d+)\.(\d+)\.(\d+)/.exec(image.slice(image.lastIndexOf('/') + 1));
  return tag ? [Number(tag[1]), Number(tag[2]), Number(tag[3])] : undefined;
}

export function versionAtLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    if ((version[i] ?? 0) !== minimum[i]) return (version[i] ?? 0) > minimum[i]!;
  }
  return true;
}
