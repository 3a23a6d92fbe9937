import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { buildOverlay, ofKind, type K8sObject } from './kustomize';
import { isServiceName } from './services';
import { resolveEnv, workloads, type Container, type ResolvedEnv, type Workload } from './workloads';

/** One built overlay and the lookups the consistency tests share. */
export interface Overlay {
  readonly name: string;
  readonly objects: readonly K8sObject[];
  readonly workloads: readonly Workload[];
  /** The Deployments of gateway, splitter, sender and tracker. */
  readonly services: readonly Workload[];
  readonly namespace: string;
  /** The generated mailroom-config ConfigMap (common variables). */
  readonly config: IConfigMap & K8sObject;
  /** "prod: Deployment/sender container sender", for failure messages. */
  where(w: Workload, c?: Container): string;
  /** The container named after the workload (each service's only container). */
  serviceContainer(w: Workload): Container;
  envOf(w: Workload): ResolvedEnv;
}

export function loadOverlay(name: string): Overlay {
  const objects = buildOverlay(name);
  const all = workloads(objects);
  const configMaps = ofKind<IConfigMap>(objects, 'v1', 'ConfigMap').filter((c) => c.metadata.name.startsWith('mailroom-config'));
  if (configMaps.length !== 1) throw new Error(`${name}: want one mailroom-config ConfigMap, found ${configMaps.length}`);
  const where = (w: Workload, c?: Container) => `${name}: ${w.kind}/${w.name}${c ? ` container ${c.name}` : ''}`;
  const serviceContainer = (w: Workload): Container => {
    const container = w.pod.containers.find((c) => c.name === w.name);
    if (!container) throw new Error(`${where(w)} has no container named ${w.name}`);
    return container;
  };
  return {
    name,
    objects,
    workloads: all,
    services: all.filter((w) => w.kind === 'Deployment' && isServiceName(w.name)),
    namespace: ofKind<INamespace>(objects, 'v1', 'Namespace')[0]?.metadata.name ?? '',
    config: configMaps[0]!,
    where,
    serviceContainer,
    envOf: (w) => resolveEnv(objects, serviceContainer(w), where(w, serviceContainer(w))),
  };
}
