import * as ts from 'typescript';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { K8sObject } from './kustomize';
import { fromRoot } from './paths';

/**
 * Offline schema validation of every kind the manifests use, with the schemas bundled in
 * kubernetes-models 4.5 (Kubernetes 1.33 OpenAPI), @kubernetes-models/keda (ScaledObject CRD) and
 * @kubernetes-models/prometheus-operator (ServiceMonitor/PodMonitor/PrometheusRule CRDs). A kind
 * missing here fails the test: add its model (and its interface below) rather than skipping it.
 */
interface KindEntry {
  readonly validate: (object: object) => void;
  /** Module and interface describing the kind, for the unknown-field check. */
  readonly module: string;
  readonly iface: string;
}

type ModelClass = new (data: never) => { validate(): void };
const entry = (model: ModelClass, module: string, iface: string): KindEntry => ({
  // The models copy the data they are given; validate() throws with every schema violation.
  validate: (object) => new model(structuredClone(object) as never).validate(),
  module,
  iface,
});

const KINDS: Readonly<Record<string, KindEntry>> = {
  'v1/Namespace': entry(Namespace, 'kubernetes-models/v1/Namespace', 'INamespace'),
  'v1/ConfigMap': entry(ConfigMap, 'kubernetes-models/v1/ConfigMap', 'IConfigMap'),
  'v1/Secret': entry(Secret, 'kubernetes-models/v1/Secret', 'ISecret'),
  'v1/Service': entry(Service, 'kubernetes-models/v1/Service', 'IService'),
  'apps/v1/Deployment': entry(Deployment, 'kubernetes-models/apps/v1/Deployment', 'IDeployment'),
  'apps/v1/StatefulSet': entry(StatefulSet, 'kubernetes-models/apps/v1/StatefulSet', 'IStatefulSet'),
  'policy/v1/PodDisruptionBudget': entry(PodDisruptionBudget, 'kubernetes-models/policy/v1/PodDisruptionBudget', 'IPodDisruptionBudget'),
  'networking.k8s.io/v1/NetworkPolicy': entry(NetworkPolicy, 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'INetworkPolicy'),
  'autoscaling/v2/HorizontalPodAutoscaler': entry(
    HorizontalPodAutoscaler,
    'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    'IHorizontalPodAutoscaler',
  ),
  'keda.sh/v1alpha1/ScaledObject': entry(ScaledObject, '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', 'IScaledObject'),
  'monitoring.coreos.com/v1/ServiceMonitor': entry(
    ServiceMonitor,
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
    'IServiceMonitor',
  ),
  'monitoring.coreos.com/v1/PodMonitor': entry(
    PodMonitor,
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
    'IPodMonitor',
  ),
  'monitoring.coreos.com/v1/PrometheusRule': entry(
    PrometheusRule,
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    'IPrometheusRule',
  ),
};

const kindKey = (object: K8sObject) => `${object.apiVersion}/${object.kind}`;

/** Schema violations of one object (types, formats, enums, required fields); empty when valid. */
export function schemaProblems(object: K8sObject): string[] {
  const kind = KINDS[kindKey(object)];
  if (!kind) return [`no schema known for ${kindKey(object)}: add its model to deploy/test/support/schemas.ts`];
  try {
    kind.validate(object);
    return [];
  } catch (error) {
    return (error as Error).message.split(', data').map((m, i) => (i === 0 ? m : `data${m}`));
  }
}

/**
 * Fields the schema does not define. The OpenAPI schemas allow unknown fields (no
 * additionalProperties: false), so a typo such as `terminationGracePeriodSecond` passes
 * validate() but is dropped, or refused by `kubectl apply --validate=strict`. The field lists come
 * from the models' own type declarations, read with the TypeScript checker.
 */
export function unknownFields(object: K8sObject): string[] {
  const kind = KINDS[kindKey(object)];
  if (!kind) return [];
  const checker = fieldChecker();
  const problems: string[] = [];
  walk(checker, object, checker.rootType(kind), '', problems);
  return problems;
}

interface FieldChecker {
  readonly tc: ts.TypeChecker;
  rootType(kind: KindEntry): ts.Type;
}

let instance: FieldChecker | undefined;

function fieldChecker(): FieldChecker {
  if (instance) return instance;
  const entries = Object.values(KINDS);
  // A virtual file that names every kind's interface; the checker resolves the rest.
  const entryFile = fromRoot('deploy', 'test', '__deploy_kinds__.ts');
  const source =
    entries.map((k, i) => `import type { ${k.iface} as K${i} } from '${k.module}';`).join('\n') +
    `\nexport interface Kinds {\n${entries.map((_, i) => `  k${i}: K${i};`).join('\n')}\n}\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es5.d.ts'],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (file, language, ...rest) =>
    file === entryFile ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, ...rest);
  host.fileExists = (file) => file === entryFile || fileExists(file);
  const program = ts.createProgram([entryFile], options, host);
  const tc = program.getTypeChecker();
  const file = program.getSourceFile(entryFile)!;
  const kindsSymbol = tc.getSymbolAtLocation(file)!.exports!.get(ts.escapeLeadingUnderscores('Kinds'))!;
  const kindsType = tc.getDeclaredTypeOfSymbol(kindsSymbol);
  const unresolved = ts.getPreEmitDiagnostics(program).filter((d) => d.code === 2307);
  if (unresolved.length > 0) {
    throw new Error(`model types not found: ${unresolved.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
  }
  instance = {
    tc,
    rootType: (kind) => {
      const property = tc.getPropertyOfType(kindsType, `k${entries.indexOf(kind)}`)!;
      return tc.getTypeOfSymbolAtLocation(property, property.valueDeclaration!);
    },
  };
  return instance;
}

function walk(checker: FieldChecker, value: unknown, type: ts.Type, at: string, problems: string[]): void {
  const { tc } = checker;
  if (value === null || value === undefined) return;
  let t = tc.getNonNullableType(type);
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  if (t.isUnion()) {
    // IntOrString, Quantity (number | string): primitives. An object member is the one to follow.
    const objects = t.types.filter((member) => member.flags & ts.TypeFlags.Object);
    if (typeof value !== 'object' || objects.length === 0) return;
    t = objects[0]!;
  }
  if (Array.isArray(value)) {
    const element = tc.getIndexTypeOfType(t, ts.IndexKind.Number);
    if (!element) {
      problems.push(`${at || '.'}: is a list, the schema expects a single value`);
      return;
    }
    value.forEach((item, i) => walk(checker, item, element, `${at}[${i}]`, problems));
    return;
  }
  if (typeof value !== 'object') return;
  const index = tc.getIndexTypeOfType(t, ts.IndexKind.String);
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const property = tc.getPropertyOfType(t, key);
    if (property) walk(checker, child, tc.getTypeOfSymbolAtLocation(property, property.valueDeclaration!), `${at}.${key}`, problems);
    else if (index) walk(checker, child, index, `${at}.${key}`, problems);
    else problems.push(`${at}.${key}: unknown field`);
  }
}
