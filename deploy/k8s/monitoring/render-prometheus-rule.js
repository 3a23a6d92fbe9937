#!/usr/bin/env node
// Writes prometheus-rule.yaml (beside this file) from deploy/prometheus/rules/*.yml, the rule files
// docker compose mounts: one source for both. Kustomize cannot do this itself (it generates
// ConfigMaps and Secrets, not custom resources, and reads no file outside its own folder), so the
// PrometheusRule is generated and checked in, and deploy/test/k8s-monitoring.deploy-spec.ts fails when
// it differs from the rule files.
//
//   node deploy/k8s/monitoring/render-prometheus-rule.js           # rewrite prometheus-rule.yaml
//   node deploy/k8s/monitoring/render-prometheus-rule.js --check   # exit 1 when it is out of date
//
// The groups are copied as text (comments and folded expressions stay readable), indented under
// `spec.groups`.
'use strict';
const { readFileSync, readdirSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const rulesDir = join(root, 'deploy', 'prometheus', 'rules');
const target = join(__dirname, 'prometheus-rule.yaml');

function groupsText(file) {
  const lines = readFileSync(file, 'utf8').replace(/\s+$/, '').split('\n');
  const start = lines.findIndex((line) => /^groups:\s*$/.test(line));
  if (start < 0) throw new Error(`${relative(root, file)}: no top-level "groups:" line`);
  const rest = lines.slice(start + 1);
  const stray = rest.find((line) => /^\S/.test(line) && !line.startsWith('#'));
  if (stray !== undefined) throw new Error(`${relative(root, file)}: only "groups:" may be at the top level, found "${stray}"`);
  return rest.map((line) => (line.trim() === '' ? '' : `  ${line}`));
}

function render() {
  const files = readdirSync(rulesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(rulesDir, f));
  const header = [
    `# GENERATED from ${files.map((f) => relative(root, f)).join(', ')} by`,
    '# `node deploy/k8s/monitoring/render-prometheus-rule.js`: edit the rules there and run it again.',
    '# The Prometheus Operator loads it into every Prometheus whose ruleSelector matches these labels',
    '# (kube-prometheus-stack: add its release label, or ruleSelectorNilUsesHelmValues=false).',
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PrometheusRule',
    'metadata:',
    '  name: mailroom',
    '  labels:',
    '    app.kubernetes.io/part-of: mailroom',
    'spec:',
    '  groups:',
  ];
  return [...header, ...files.flatMap(groupsText)].join('\n') + '\n';
}

const text = render();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== text) {
    process.stderr.write(`${relative(root, target)} is out of date: run node ${relative(root, __filename)}\n`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${relative(root, target)}\n`);
}
