import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { buildOverlay, ofKind, overlayNames, type K8sObject } from './support/kustomize';
import { fromRoot, shown } from './support/paths';
import { dashboardFiles, ruleFiles, ruleGroups } from './support/promql';

/**
 * The monitoring the prod overlays ship is the one compose runs, from the same files: the
 * PrometheusRule holds exactly the groups of deploy/prometheus/rules/*.yml (it is generated from
 * them and checked in), and the dashboards ConfigMap holds deploy/grafana/dashboards/*.json byte
 * for byte (kustomize generates it from those files).
 */
jest.setTimeout(60_000);

const RENDER = fromRoot('deploy', 'k8s', 'monitoring', 'render-prometheus-rule.js');
const withMonitoring = overlayNames().filter((o) => o !== 'dev');

describe('deploy/k8s/monitoring/prometheus-rule.yaml', () => {
  it('is what render-prometheus-rule.js makes of deploy/prometheus/rules (run it after changing a rule)', () => {
    const run = spawnSync(process.execPath, [RENDER, '--check'], { encoding: 'utf8' });
    expect({ code: run.status, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe.each(withMonitoring)('overlay %s', (overlay) => {
  let objects: K8sObject[];

  beforeAll(() => {
    objects = buildOverlay(overlay);
  });

  it('has one PrometheusRule whose groups are exactly those of deploy/prometheus/rules/*.yml', () => {
    const rules = ofKind<IPrometheusRule>(objects, 'monitoring.coreos.com/v1', 'PrometheusRule');
    expect(rules.map((r) => r.metadata.name)).toEqual(['mailroom']);
    const fromFiles = ruleFiles().flatMap(ruleGroups);
    expect(rules[0]!.spec.groups).toEqual(fromFiles);
  });

  it('has one dashboards ConfigMap holding every deploy/grafana/dashboards/*.json unchanged, for the Grafana sidecar', () => {
    const maps = ofKind<IConfigMap>(objects, 'v1', 'ConfigMap').filter((c) => c.metadata.labels?.['grafana_dashboard'] === '1');
    expect(maps.map((c) => c.metadata.name)).toEqual(['mailroom-grafana-dashboards']);
    const data = maps[0]!.data ?? {};
    const files = dashboardFiles();
    expect(Object.keys(data).sort()).toEqual(files.map((f) => basename(f)).sort());
    const differing = files.filter((f) => data[basename(f)] !== readFileSync(f, 'utf8')).map(shown);
    expect(differing).toEqual([]);
  });
});

describe('overlay dev', () => {
  it('ships no monitoring objects (no Prometheus Operator, no Grafana there)', () => {
    const objects = buildOverlay('dev');
    const monitoring = objects.filter(
      (o) => o.apiVersion.startsWith('monitoring.coreos.com/') || o.metadata.labels?.['grafana_dashboard'] !== undefined,
    );
    expect(monitoring.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });
});
