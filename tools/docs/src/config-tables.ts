import type { EnvVariable } from './env-reference';

/** The variables every service reads (the common schema): variable, default, meaning. */
export function commonVariablesTable(variables: readonly EnvVariable[], services: readonly string[]): string {
  const rows = variables.filter((v) => readByAll(v, services));
  return table(['variable', 'default', 'meaning'], rows.map((v) => [code(v.name), defaultsOf(v, services), cell(v.description)]));
}

/** The variables one service reads besides the common ones. */
export function serviceVariablesTable(variables: readonly EnvVariable[], services: readonly string[], service: string): string {
  const position = (v: EnvVariable) => v.positions.get(service) ?? 0;
  const rows = variables.filter((v) => v.services.includes(service) && !readByAll(v, services)).sort((a, b) => position(a) - position(b));
  return table(
    ['variable', 'default', 'meaning'],
    rows.map((v) => {
      const others = v.services.filter((s) => s !== service);
      const also = others.length > 0 ? ` Also read by ${others.join(', ')}.` : '';
      return [code(v.name), v.defaults.get(service) ?? '', cell(v.description + also)];
    }),
  );
}

function readByAll(variable: EnvVariable, services: readonly string[]): boolean {
  return services.every((s) => variable.services.includes(s));
}

/** One default when the services agree, else each service's (HTTP_PORT). */
function defaultsOf(variable: EnvVariable, services: readonly string[]): string {
  const values = new Set(variable.defaults.values());
  if (values.size === 1) return [...values][0]!;
  return services.map((s) => `${s} ${variable.defaults.get(s) ?? ''}`).join(', ');
}

const code = (text: string) => `\`${text}\``;

/** A table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
