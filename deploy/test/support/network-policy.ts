import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { K8sObject } from './kustomize';

/**
 * A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics) for the paths the tests care
 * about. A connection is allowed when the source's egress and the destination's ingress both allow
 * it; a pod no policy selects for a direction is open in that direction. Simplification: ipBlock
 * peers match only endpoints outside the cluster (what they are used for here).
 */
export type Endpoint =
  | {
      readonly kind: 'pod';
      readonly namespace: string;
      readonly namespaceLabels: Readonly<Record<string, string>>;
      readonly labels: Readonly<Record<string, string>>;
      /** Named container ports of the pod (for policies that name a port). */
      readonly ports?: Readonly<Record<string, number>>;
      readonly describe: string;
    }
  | { readonly kind: 'external'; readonly ip: string; readonly describe: string };

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

type Policy = INetworkPolicy & K8sObject;
export type LabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];
type Peer = NonNullable<NonNullable<NonNullable<INetworkPolicy['spec']>['ingress']>[number]['from']>[number];
type PortRule = NonNullable<NonNullable<NonNullable<INetworkPolicy['spec']>['ingress']>[number]['ports']>[number];

export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown selector operator ${expression.operator}`);
    }
  }
  return true;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = Number(bits ?? 32);
  const mask = size === 0 ? 0 : 2 ** 32 - 2 ** (32 - size);
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(base!) & mask) >>> 0;
}

function peerMatches(peer: Peer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    if (other.kind !== 'external') return false;
    return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  }
  if (other.kind !== 'pod') return false;
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, other.namespaceLabels)) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return selects(peer.podSelector, other.labels);
}

function portMatches(rules: readonly PortRule[] | undefined, destination: Endpoint, port: number, protocol: string): boolean {
  if (!rules || rules.length === 0) return true;
  return rules.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    const number =
      typeof rule.port === 'number' ? rule.port : destination.kind === 'pod' ? destination.ports?.[rule.port] : undefined;
    if (number === undefined) return false;
    return rule.endPort ? port >= number && port <= rule.endPort : port === number;
  });
}

function isolated(policies: readonly Policy[], pod: Endpoint, direction: 'Ingress' | 'Egress'): Policy[] | undefined {
  if (pod.kind !== 'pod') return undefined;
  const applying = policies.filter(
    (p) =>
      (p.metadata.namespace ?? '') === pod.namespace &&
      selects(p.spec?.podSelector, pod.labels) &&
      policyTypes(p).includes(direction),
  );
  return applying.length > 0 ? applying : undefined;
}

function policyTypes(policy: Policy): string[] {
  if (policy.spec?.policyTypes) return policy.spec.policyTypes;
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Whether the policies let this connection through; the reason when they do not. */
export function evaluate(policies: readonly Policy[], c: Connection): { allowed: boolean; reason: string } {
  const protocol = c.protocol ?? 'TCP';
  const egress = isolated(policies, c.from, 'Egress');
  if (egress) {
    const ok = egress.some((p) =>
      (p.spec?.egress ?? []).some(
        (rule) =>
          (!rule.to || rule.to.length === 0 || rule.to.some((peer) => peerMatches(peer, p.metadata.namespace ?? '', c.to))) &&
          portMatches(rule.ports, c.to, c.port, protocol),
      ),
    );
    if (!ok) return { allowed: false, reason: `no egress rule of ${egress.map((p) => p.metadata.name).join(', ')} lets ${c.from.describe} out` };
  }
  const ingress = isolated(policies, c.to, 'Ingress');
  if (ingress) {
    const ok = ingress.some((p) =>
      (p.spec?.ingress ?? []).some(
        (rule) =>
          (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(peer, p.metadata.namespace ?? '', c.from))) &&
          portMatches(rule.ports, c.to, c.port, protocol),
      ),
    );
    if (!ok) return { allowed: false, reason: `no ingress rule of ${ingress.map((p) => p.metadata.name).join(', ')} lets ${c.from.describe} in` };
  }
  return { allowed: true, reason: 'allowed' };
}
