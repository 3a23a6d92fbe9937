import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { NewsletterView } from '@mailroom/contracts';
import { MailroomStack, SmtpSink, repoRoot, waitFor } from '@mailroom/testing';
import { PrometheusProcess, promtool } from './support/prometheus';

jest.setTimeout(240_000);

interface Panel {
  readonly title: string;
  readonly targets?: ReadonlyArray<{ readonly expr: string }>;
}
interface RuleGroup {
  readonly rules: ReadonlyArray<{ readonly alert?: string; readonly record?: string; readonly expr: string }>;
}

const root = repoRoot();
const rulesDir = join(root, 'deploy', 'prometheus', 'rules');
const ruleFiles = readdirSync(rulesDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(rulesDir, f));
const dashboardsDir = join(root, 'deploy', 'grafana', 'dashboards');
const dashboards = readdirSync(dashboardsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, json: JSON.parse(readFileSync(join(dashboardsDir, f), 'utf8')) as { panels: Panel[] } }));
const panelQueries = dashboards.flatMap(({ file, json }) =>
  json.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${file} "${p.title}"`, expr: t.expr }))),
);
const ruleQueries = ruleFiles.flatMap((file) =>
  (parse(readFileSync(file, 'utf8')) as { groups: RuleGroup[] }).groups.flatMap((g) =>
    g.rules.map((r) => ({ where: `${file} ${r.alert ?? r.record}`, expr: r.expr })),
  ),
);

/**
 * The dashboards and alert rules checked against a real Prometheus scraping the real services
 * while a newsletter (with failures and retries) goes out: every expression parses, and every
 * dashboard panel shows data.
 */
describe('Prometheus: rules and dashboards against live services', () => {
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
      ruleFiles,
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

  it('has rules that promtool accepts', () => {
    for (const file of ruleFiles) {
      const result = promtool(['check', 'rules', file]);
      expect({ file, ...result }).toMatchObject({ code: 0 });
    }
  });

  it('exposes metrics that promtool accepts, on every service', async () => {
    for (const service of stack.all) {
      const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
      const result = promtool(['check', 'metrics'], text);
      expect({ service: service.label, ...result }).toMatchObject({ code: 0 });
    }
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
    // Series born during the send (a first failure, a first retry) need a second scrape before
    // rate() sees them: poll until every panel has data, or give up with the empty ones named.
    const emptyPanels = async () => {
      const empty: string[] = [];
      for (const { where, expr } of panelQueries) {
        const result = await prometheus.query(expr);
        expect({ where, status: result.status, error: result.error }).toEqual({ where, status: 'success', error: undefined });
        if ((result.data?.result.length ?? 0) === 0) empty.push(`${where}: ${expr}`);
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
