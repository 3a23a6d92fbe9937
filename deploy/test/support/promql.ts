import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fromRoot } from './paths';

export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

export interface Panel {
  readonly id: number;
  readonly title: string;
  readonly targets?: ReadonlyArray<{ readonly expr: string }>;
}

export const RULES_DIR = fromRoot('deploy', 'prometheus', 'rules');
export const DASHBOARDS_DIR = fromRoot('deploy', 'grafana', 'dashboards');

/** deploy/prometheus/rules/*.yml, the rule files compose mounts (and the PrometheusRule is made of). */
export const ruleFiles = (): string[] =>
  readdirSync(RULES_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(RULES_DIR, f));

export const ruleGroups = (file: string): RuleGroup[] => (parse(readFileSync(file, 'utf8')) as { groups: RuleGroup[] }).groups;

export const dashboardFiles = (): string[] =>
  readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(DASHBOARDS_DIR, f));

/**
 * Metrics of prometheus-nats-exporter 0.17.3 (run with -varz -healthz -jsz=all, as compose and the
 * NATS pods do) that the rules and dashboards use. Names from the exporter's source: gnatsd_varz_*
 * flattens the server's /varz JSON (jetstream.stats.storage, jetstream.config.max_storage,
 * jetstream.meta.cluster_size, mem; checked against nats-server 2.9.10's /varz),
 * gnatsd_healthz_status_value is collector/healthz.go, jetstream_server_* collector/jsz.go. No
 * exporter runs in the tests (it is a Go binary, not a package here), so expressions over these
 * are evaluated but cannot have data; `promtool test rules` checks the alerts over them with
 * synthetic series instead (deploy/prometheus/tests/).
 */
export const NATS_EXPORTER_METRICS: ReadonlySet<string> = new Set([
  'gnatsd_healthz_status_value',
  'gnatsd_varz_jetstream_config_max_storage',
  'gnatsd_varz_jetstream_meta_cluster_size',
  'gnatsd_varz_jetstream_stats_storage',
  'gnatsd_varz_mem',
  'jetstream_server_total_streams',
]);

/** Series Prometheus writes itself for every target. */
export const PROMETHEUS_SERIES: ReadonlySet<string> = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects (enough of PromQL for our rules and panels): label
 * matchers, range selectors, strings and grouping label lists are dropped, then every identifier
 * that is not a function call or a keyword is a metric name.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const rest = stripped.slice(match.index + word.length).trimStart();
    if (rest.startsWith('(') || KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

/** An expression over NATS exporter series only: it cannot have data without a NATS exporter. */
export function isNatsExporterOnly(expr: string): boolean {
  const names = metricNames(expr);
  const natsUp = /\bup\s*\{[^}]*job\s*=\s*"nats"/.test(expr);
  return names.length > 0 && names.every((n) => NATS_EXPORTER_METRICS.has(n) || (n === 'up' && natsUp));
}

/**
 * Metric families a /metrics text declares (# TYPE lines, so a labelled counter nothing has
 * incremented yet counts too), with the series names histograms and summaries add.
 */
export function declaredMetrics(exposition: string): string[] {
  const names: string[] = [];
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    names.push(name);
    if (type === 'histogram') names.push(`${name}_bucket`, `${name}_sum`, `${name}_count`);
    if (type === 'summary') names.push(`${name}_sum`, `${name}_count`);
  }
  return names;
}
