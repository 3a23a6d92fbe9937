import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, waitFor } from '@mailroom/testing';
import { shown, fromRoot } from './support/paths';
import { PrometheusProcess, promtool } from './support/prometheus';
import {
  dashboardFiles,
  declaredMetrics,
  isNatsExporterOnly,
  metricNames,
  NATS_EXPORTER_METRICS,
  PROMETHEUS_SERIES,
  ruleFiles,
  ruleGroups,
  type Panel,
} from './support/promql';

jest.setTimeout(240_000);

const rules = ruleFiles();
const dashboards = dashboardFiles().map((file) => ({ file: basename(file), json: JSON.parse(readFileSync(file, 'utf8')) as { panels: Panel[] } }));
const panelQueries = dashboards.flatMap(({ file, json }) =>
  json.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${file} "${p.title}"`, expr: t.expr }))),
);
const ruleQueries = rules.flatMap((file) =>
  ruleGroups(file).flatMap((g) => g.rules.map((r) => ({ where: `${shown(file)} ${r.alert ?? r.record}`, expr: r.expr }))),
);
const alerts = rules.flatMap((file) => ruleGroups(file).flatMap((g) => g.rules.filter((r) => r.alert).map((r) => ({ file, rule: r }))));
const RULE_TESTS = fromRoot('deploy', 'prometheus', 'tests', 'mailroom.rules.test.yml');

/**
 * The dashboards and alert rules: promtool accepts the rules, their unit tests (synthetic series)
 * pass, and against a real Prometheus scraping the real services while a newsletter (with failures
 * and retries) goes out every expression evaluates, every metric it names is one a service (or
 * the NATS exporter) declares, and every dashboard panel shows data. Panels over NATS exporter
 * series only are the exception to the last check: no exporter runs here (see NATS_EXPORTER_METRICS).
 */
describe('Prometheus: rules and dashboards', () => {
  it('has rules that promtool accepts', () => {
    for (const file of rules) {
      const result = promtool(['check', 'rules', file]);
      expect({ file, ...result }).toMatchObject({ code: 0 });
    }
  });

  it('gives every alert a severity and a summary, a description and a runbook', () => {
    const problems = alerts.flatMap(({ file, rule }) => {
      const where = `${shown(file)} ${rule.alert}`;
      const missing = (['summary', 'description', 'runbook'] as const).filter((a) => !(rule.annotations?.[a] ?? '').trim());
      return [
        ...missing.map((a) => `${where}: no ${a} annotation`),
        ...(['critical', 'warning', 'info'].includes(rule.labels?.['severity'] ?? '') ? [] : [`${where}: severity is not critical, warning or info`]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('passes the unit tests of deploy/prometheus/tests, which make every alert fire', () => {
    // promtool compares annotations exactly: the tests run on a copy of the rules without them,
    // so they pin labels and timing, not the runbook wording.
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-rule-tests-'));
    try {
      mkdirSync(join(dir, 'rules'));
      mkdirSync(join(dir, 'tests'));
      for (const file of rules) {
        const groups = ruleGroups(file).map((g) => ({ ...g, rules: g.rules.map(({ annotations: _annotations, ...rule }) => rule) }));
        writeFileSync(join(dir, 'rules', basename(file)), stringify({ groups }));
      }
      cpSync(RULE_TESTS, join(dir, 'tests', basename(RULE_TESTS)));
      const result = promtool(['test', 'rules', join(dir, 'tests', basename(RULE_TESTS))]);
      expect({ ...result, output: result.code === 0 ? '' : result.output }).toEqual({ code: 0, output: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const tests = parse(readFileSync(RULE_TESTS, 'utf8')) as {
      rule_files: string[];
      tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
    };
    expect(tests.rule_files.map((f) => basename(f)).sort()).toEqual(rules.map((f) => basename(f)).sort());
    const fired = new Set(tests.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname)));
    expect(alerts.map(({ rule }) => rule.alert!).filter((a) => !fired.has(a)).map((a) => `${a} never fires in ${shown(RULE_TESTS)}`)).toEqual([]);
  });

  describe('against live services', () => {
    let smtp: SmtpSink;
    let stack: MailroomStack;
    let prometheus: PrometheusProcess;

    beforeAll(async () => {
      if (!PrometheusProcess.available()) throw new Error('prometheus and promtool are needed (Debian package "prometheus"; .ci/run installs it)');
      // Some mailboxes refuse for good, some defer once: failures, retries and naks all show up.
      smtp = await SmtpSink.start({
        keepMessages: false,
        faultAt: (email, attempt) => {
          if (email.startsWith('gone')) return { kind: 'reply', code: 550, message: 'No such user' };
          if (email.startsWith('later') && attempt === 1) return { kind: 'reply', code: 451, message: 'Try later' };
          return undefined;
        },
      });
      stack = await MailroomStack.start({
        smtpUrl: smtp.url,
        serviceEnv: { sender: { RETRY_BASE_DELAY_MS: '200', RETRY_MAX_DELAY_MS: '500' } },
      });
      prometheus = await PrometheusProcess.start(
        stack.all.map((s) => ({ job: s.name, port: s.port })),
        rules,
      );
      // Every service scraped once before anything is sent: counters start from a known 0.
      await waitFor(
        () => prometheus.query('count(up == 1)'),
        (r) => Number(r.data?.result[0]?.value[1] ?? 0) === stack.all.length,
        { timeoutMs: 30_000, intervalMs: 250, description: 'a first scrape of every service' },
      );
    });

    afterAll(async () => {
      await prometheus?.stop();
      await stack?.stop();
      await smtp?.close();
    });

    it('exposes metrics that promtool accepts, on every service', async () => {
      for (const service of stack.all) {
        const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
        const result = promtool(['check', 'metrics'], text);
        expect({ service: service.label, ...result }).toMatchObject({ code: 0 });
      }
    });

    it('names in every rule and panel only metrics a service declares, or the NATS exporter provides', async () => {
      const declared = new Set<string>(PROMETHEUS_SERIES);
      for (const service of stack.all) {
        for (const name of declaredMetrics(await (await fetch(`${service.baseUrl}/metrics`)).text())) declared.add(name);
      }
      const unknown = [...ruleQueries, ...panelQueries].flatMap(({ where, expr }) =>
        metricNames(expr)
          .filter((name) => !declared.has(name) && !NATS_EXPORTER_METRICS.has(name))
          .map((name) => `${where}: ${name} is exported by no service and is not a NATS exporter metric`),
      );
      expect(unknown).toEqual([]);
    });

    it('evaluates every panel and rule expression, and every panel has data after a newsletter', async () => {
      const recipients = [
        ...Array.from({ length: 200 }, (_, i) => `ok${i}@example.org`),
        ...Array.from({ length: 10 }, (_, i) => `gone${i}@example.org`),
        ...Array.from({ length: 10 }, (_, i) => `later${i}@example.org`),
      ];
      const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
        body: { subject: 'Metrics', text: 'Hello', recipients, batchSize: 20 },
      });
      await stack.waitForNewsletter<NewsletterView>(res.body.id, (v) => v.status === 'completed_with_failures');
      // Enough scrapes after the sends for rate() windows to hold two samples.
      await waitFor(
        () => prometheus.query('sum(rate(mailroom_emails_sent_total[1m]))'),
        (r) => r.status === 'success' && Number(r.data?.result[0]?.value[1] ?? 0) > 0,
        { timeoutMs: 60_000, intervalMs: 500, description: 'Prometheus to see emails sent' },
      );

      for (const { where, expr } of ruleQueries) {
        const result = await prometheus.query(expr);
        expect({ where, status: result.status, error: result.error }).toEqual({ where, status: 'success', error: undefined });
      }
      // Panels over NATS exporter series alone are evaluated (above and below) but cannot have
      // data here: they are listed, and every other panel must show data.
      const exporterOnly = panelQueries.filter((q) => isNatsExporterOnly(q.expr));
      expect(exporterOnly.map((q) => q.where)).toEqual([
        'mailroom-delivery.json "NATS servers"',
        'mailroom-delivery.json "NATS servers"',
        'mailroom-delivery.json "NATS servers"',
        'mailroom-delivery.json "JetStream storage used"',
        'mailroom-delivery.json "NATS memory"',
      ]);
      // Series born during the send (a first failure, a first retry) need a second scrape before
      // rate() sees them: poll until every panel has data, or give up with the empty ones named.
      const emptyPanels = async () => {
        const empty: string[] = [];
        for (const { where, expr } of panelQueries) {
          const result = await prometheus.query(expr);
          expect({ where, status: result.status, error: result.error }).toEqual({ where, status: 'success', error: undefined });
          if (!isNatsExporterOnly(expr) && (result.data?.result.length ?? 0) === 0) empty.push(`${where}: ${expr}`);
        }
        return empty;
      };
      const empty = await waitFor(emptyPanels, (list) => list.length === 0, {
        timeoutMs: 30_000,
        intervalMs: 1_000,
        description: 'every dashboard panel to have data',
      }).catch((error: Error) => [error.message]);
      expect(empty).toEqual([]);
    });
  });
});
