import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fromRoot } from './paths';

/** One object of a built overlay, as kubectl would send it. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

export const K8S_DIR = fromRoot('deploy', 'k8s');
export const OVERLAYS_DIR = join(K8S_DIR, 'overlays');

/** `kubectl` from PATH, or the one KUBECTL names (e.g. to try Debian 12's kubectl 1.20). */
export const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';

/** Every overlay under deploy/k8s/overlays/ (a directory with a kustomization.yaml). */
export function overlayNames(): string[] {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(OVERLAYS_DIR, entry.name, 'kustomization.yaml')))
    .map((entry) => entry.name)
    .sort();
}

const cache = new Map<string, K8sObject[]>();

/** `kubectl kustomize <dir>`, parsed. Fails with kubectl's own message when the build fails. */
export function kustomizeBuild(dir: string): K8sObject[] {
  const cached = cache.get(dir);
  if (cached) return cached;
  let output: string;
  try {
    output = execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(`${KUBECTL} is not installed: .ci/run installs Debian's kubernetes-client when kubectl is missing`);
    }
    throw new Error(`${KUBECTL} kustomize ${dir} failed:\n${e.stderr ?? e.message}`);
  }
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(output)) {
    if (doc.errors.length > 0) throw new Error(`kustomize output of ${dir} is not YAML: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  cache.set(dir, objects);
  return objects;
}

export const buildOverlay = (overlay: string): K8sObject[] => kustomizeBuild(join(OVERLAYS_DIR, overlay));

/** "Deployment/sender" (and the namespace when it has one), for failure messages. */
export const ref = (object: K8sObject): string =>
  `${object.kind}/${object.metadata.name}${object.metadata.namespace ? ` (namespace ${object.metadata.namespace})` : ''}`;

/** Objects of one kind, typed as the matching kubernetes-models interface. */
export function ofKind<T>(objects: readonly K8sObject[], apiVersion: string, kind: string): (T & K8sObject)[] {
  return objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind) as (T & K8sObject)[];
}

export function findObject<T>(objects: readonly K8sObject[], apiVersion: string, kind: string, name: string): (T & K8sObject) | undefined {
  return ofKind<T>(objects, apiVersion, kind).find((o) => o.metadata.name === name);
}
