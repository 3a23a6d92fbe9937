import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildOverlay, K8S_DIR, KUBECTL, overlayNames, ref, type K8sObject } from './support/kustomize';
import { shown } from './support/paths';
import { schemaProblems, unknownFields } from './support/schemas';

/**
 * Every overlay builds with `kubectl kustomize`, and every object it produces validates offline
 * against the Kubernetes 1.33 schemas or its CRD's (KEDA ScaledObject, Prometheus Operator
 * ServiceMonitor/PodMonitor/PrometheusRule), without fields the schema does not know.
 */
jest.setTimeout(60_000);

const overlays = overlayNames();

describe('deploy/k8s overlays', () => {
  it('are dev, prod (KEDA) and prod-hpa (HPA alternative)', () => {
    expect(overlays).toEqual(['dev', 'prod', 'prod-hpa']);
  });

  it(`every manifest file under deploy/k8s is used by an overlay (${KUBECTL})`, () => {
    const used = new Set<string>();
    for (const overlay of overlays) collectKustomizationFiles(join(K8S_DIR, 'overlays', overlay), used);
    const orphans = listFiles(K8S_DIR)
      .filter((f) => /\.(ya?ml|conf)$/.test(f) && !f.endsWith('kustomization.yaml'))
      // Helm values for prometheus-adapter (the HPA alternative's metric), not a Kubernetes object.
      .filter((f) => !f.endsWith('prometheus-adapter-values.yaml'))
      .filter((f) => !used.has(f))
      .map(shown);
    expect(orphans).toEqual([]);
  });
});

describe.each(overlays)('overlay %s', (overlay) => {
  let objects: K8sObject[];

  beforeAll(() => {
    objects = buildOverlay(overlay);
  });

  it('builds with kubectl kustomize', () => {
    expect(objects.length).toBeGreaterThan(10);
  });

  it('validates every object against its Kubernetes or CRD schema', () => {
    const problems = objects.flatMap((o) => schemaProblems(o).map((p) => `${overlay}: ${ref(o)}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('uses no field the schemas do not define', () => {
    const problems = objects.flatMap((o) => unknownFields(o).map((p) => `${overlay}: ${ref(o)}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('puts every namespaced object in the one Namespace it creates', () => {
    const namespaces = objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toEqual(['mailroom']);
    const strays = objects
      .filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== namespaces[0])
      .map((o) => `${overlay}: ${ref(o)} is not in namespace ${namespaces[0]}`);
    expect(strays).toEqual([]);
  });

  it('has no two objects of the same kind and name', () => {
    const seen = new Map<string, number>();
    for (const o of objects) seen.set(`${o.kind}/${o.metadata.name}`, (seen.get(`${o.kind}/${o.metadata.name}`) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([k]) => `${overlay}: ${k} appears twice`)).toEqual([]);
  });

  it('carries no Secret: secrets are referenced, created outside the repository', () => {
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => `${overlay}: ${ref(o)}`)).toEqual([]);
  });
});

interface Kustomization {
  resources?: string[];
  bases?: string[];
  patchesStrategicMerge?: string[];
  configMapGenerator?: { files?: string[] }[];
}

/** Files a kustomization (and its bases) reads, as absolute paths. */
function collectKustomizationFiles(dir: string, into: Set<string>): void {
  const file = join(dir, 'kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as Kustomization;
  for (const entry of [...(k.resources ?? []), ...(k.bases ?? []), ...(k.patchesStrategicMerge ?? [])]) {
    const path = join(dir, entry);
    if (existsSync(path) && statSync(path).isDirectory()) collectKustomizationFiles(path, into);
    else into.add(path);
  }
  for (const generator of k.configMapGenerator ?? []) {
    for (const f of generator.files ?? []) into.add(join(dir, f.includes('=') ? f.split('=')[1]! : f));
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}
