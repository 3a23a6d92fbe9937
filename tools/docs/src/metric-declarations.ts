import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { table } from './config-tables';

/** One Prometheus metric as the code declares it (`metrics.counter({ name, help, labelNames })`). */
export interface MetricDeclaration {
  readonly name: string;
  readonly help: string;
  readonly labels: readonly string[];
}

/**
 * The metrics declared in the given files: every object literal with a `name` starting with
 * `mailroom_` and a `help` text, as the MetricsRegistry calls take them. The help text is what
 * /metrics says about the metric, so it is also what the docs say.
 */
export function readMetricDeclarations(files: readonly string[]): MetricDeclaration[] {
  const found = new Map<string, MetricDeclaration>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const declaration = metricOf(node);
        if (declaration && !found.has(declaration.name)) found.set(declaration.name, declaration);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function metricsTable(metrics: readonly MetricDeclaration[], from?: (metric: MetricDeclaration) => string): string {
  const header = from ? ['metric', 'labels', 'from', 'meaning'] : ['metric', 'labels', 'meaning'];
  return table(
    header,
    metrics.map((m) => {
      const labels = m.labels.length > 0 ? m.labels.map((l) => `\`${l}\``).join(', ') : '–';
      const meaning = m.help.replace(/\|/g, '\\|');
      return from ? [`\`${m.name}\``, labels, from(m), meaning] : [`\`${m.name}\``, labels, meaning];
    }),
  );
}

function metricOf(literal: ts.ObjectLiteralExpression): MetricDeclaration | undefined {
  const property = (name: string) =>
    literal.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name)
      ?.initializer;
  const name = text(property('name'));
  const help = text(property('help'));
  if (!name?.startsWith('mailroom_') || help === undefined) return undefined;
  const labelNames = property('labelNames');
  const labels =
    labelNames && ts.isArrayLiteralExpression(labelNames) ? labelNames.elements.flatMap((e) => (ts.isStringLiteral(e) ? [e.text] : [])) : [];
  return { name, help, labels };
}

/** A string literal, a template without substitutions, or a concatenation of them. */
function text(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = text(node.left);
    const right = text(node.right);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}
