import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { GatewayEnv } from '../../../services/gateway/src/config/gateway.env';
import { SenderEnv } from '../../../services/sender/src/config/sender.env';
import { SplitterEnv } from '../../../services/splitter/src/config/splitter.config';
import { FeedbackEnv } from '../../../services/feedback/src/config/feedback.config';
import { TrackerEnv } from '../../../services/tracker/src/config/tracker.config';
import { commonVariablesTable, serviceVariablesTable } from './config-tables';
import { readDeclaredClasses } from './env-doc-comments';
import { envReference, type EnvSchemaSource } from './env-reference';
import { readSection, REGENERATE_COMMAND, sectionMarkers, writeSection } from './generated-sections';
import { metricsTable, readMetricDeclarations, type MetricDeclaration } from './metric-declarations';
import { fromRoot, shown, sourceFiles } from './repository';
import { firstSentence, serviceTable } from './service-table';

/**
 * The tables generated from the code: the configuration reference (docs/configuration.md and each
 * service README) from the env schema classes, the metric tables (docs/operations.md and each
 * service README) from the metric declarations, and the README's service table from the event
 * catalog. Each test fails when the checked-in table differs from what the generator makes now;
 * `UPDATE_DOCS=1 npx jest tools/docs` rewrites them instead.
 */
const SERVICES = ['gateway', 'splitter', 'sender', 'tracker', 'feedback'] as const;
const SCHEMAS: readonly EnvSchemaSource[] = [
  { service: 'gateway', schema: GatewayEnv },
  { service: 'splitter', schema: SplitterEnv },
  { service: 'sender', schema: SenderEnv },
  { service: 'tracker', schema: TrackerEnv },
  { service: 'feedback', schema: FeedbackEnv },
];

function envVariables() {
  const files = [fromRoot('libs', 'config', 'src'), ...SERVICES.map((s) => fromRoot('services', s, 'src', 'config'))].flatMap(sourceFiles);
  return envReference(SCHEMAS, readDeclaredClasses(files));
}

const readme = (service: string) => fromRoot('services', service, 'README.md');

const serviceMetrics = (service: string) => readMetricDeclarations(sourceFiles(fromRoot('services', service, 'src')));

/** Libraries that declare metrics, and which services serve them. */
const LIBRARY_METRICS: Readonly<Record<string, string>> = { jetstream: 'splitter, sender, tracker, feedback (their JetStream consumers)' };

function allMetrics(): string {
  const from = new Map<string, string>();
  const metrics: MetricDeclaration[] = [];
  for (const service of SERVICES) {
    for (const metric of serviceMetrics(service)) {
      from.set(metric.name, service);
      metrics.push(metric);
    }
  }
  for (const library of readdirSync(fromRoot('libs'))) {
    const declared = readMetricDeclarations(sourceFiles(fromRoot('libs', library, 'src')));
    if (declared.length === 0) continue;
    const servedBy = LIBRARY_METRICS[library];
    if (!servedBy) throw new Error(`libs/${library} declares metrics: say in LIBRARY_METRICS (tools/docs) which services serve them`);
    for (const metric of declared) {
      from.set(metric.name, servedBy);
      metrics.push(metric);
    }
  }
  metrics.sort((a, b) => a.name.localeCompare(b.name));
  return metricsTable(metrics, (m) => from.get(m.name) ?? '');
}

function ownMetrics(service: string): string {
  const metrics = serviceMetrics(service);
  return metrics.length > 0 ? metricsTable(metrics) : 'None of its own: the JetStream transport\'s, if it consumes, and the process\'s (see [operations](../../docs/operations.md#health-and-metrics)).';
}

interface GeneratedSection {
  readonly file: string;
  readonly name: string;
  readonly produce: () => string;
}

const SECTIONS: readonly GeneratedSection[] = [
  { file: fromRoot('docs', 'configuration.md'), name: 'every service', produce: () => commonVariablesTable(envVariables(), SERVICES) },
  ...SERVICES.map((service) => ({
    file: fromRoot('docs', 'configuration.md'),
    name: service,
    produce: () => serviceVariablesTable(envVariables(), SERVICES, service),
  })),
  ...SERVICES.map((service) => ({
    file: readme(service),
    name: 'environment',
    produce: () => serviceVariablesTable(envVariables(), SERVICES, service),
  })),
  ...SERVICES.map((service) => ({ file: readme(service), name: 'metrics', produce: () => ownMetrics(service) })),
  { file: fromRoot('docs', 'operations.md'), name: 'metrics', produce: allMetrics },
  {
    file: fromRoot('README.md'),
    name: 'services',
    produce: () =>
      serviceTable(
        SERVICES.map((service) => ({
          service,
          readme: `services/${service}/README.md`,
          does: firstSentence(readFileSync(readme(service), 'utf8')),
        })),
      ),
  },
];

describe.each(SECTIONS.map((s) => [`${shown(s.file)}: ${s.name}`, s] as const))('generated table %s', (_, section) => {
  it('is what the generator makes from the code', () => {
    const markdown = readFileSync(section.file, 'utf8');
    const expected = section.produce();
    if (process.env['UPDATE_DOCS'] === '1') {
      writeFileSync(section.file, writeSection(markdown, section.name, expected));
      return;
    }
    const actual = readSection(markdown, section.name);
    if (actual === undefined) {
      throw new Error(`${shown(section.file)} has no generated section "${section.name}"; add its markers:\n${sectionMarkers(section.name)}`);
    }
    if (actual !== expected) {
      throw new Error(
        `${shown(section.file)}: the generated "${section.name}" table is out of date with the code. ` +
          `Regenerate it with: ${REGENERATE_COMMAND}\n\nexpected:\n${expected}\n\nchecked in:\n${actual}`,
      );
    }
  });
});
