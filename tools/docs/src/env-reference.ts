import { envVariableNames, requiredEnvVariableNames } from '@mailroom/config';
import { docOf, type DeclaredClass } from './env-doc-comments';

/** A service and the class-validator schema it validates its environment with at boot. */
export interface EnvSchemaSource {
  readonly service: string;
  readonly schema: new () => object;
}

/** One variable, as one or more services read it alike (same meaning, same default). */
export interface EnvVariable {
  readonly name: string;
  readonly services: readonly string[];
  /** Per service, what it uses when the variable is unset (`required` when it refuses to start). */
  readonly defaults: ReadonlyMap<string, string>;
  /** Per service, where the variable comes in its schema (base class first). */
  readonly positions: ReadonlyMap<string, number>;
  readonly description: string;
}

/**
 * Every variable of every schema, with its default (from an instance of the schema), whether it
 * is required (`requiredEnvVariableNames`), which services read it and its doc comment. A
 * variable whose doc comment differs between services is listed once per meaning. Throws when a
 * variable has no doc comment: an undocumented variable is a bug of the change that added it.
 */
export function envReference(sources: readonly EnvSchemaSource[], classes: ReadonlyMap<string, DeclaredClass>): EnvVariable[] {
  const rows = new Map<string, { name: string; services: string[]; defaults: Map<string, string>; positions: Map<string, number>; description: string }>();
  const undocumented: string[] = [];
  for (const { service, schema } of sources) {
    const instance = new schema() as Record<string, unknown>;
    const required = new Set(requiredEnvVariableNames(schema));
    for (const [position, name] of declarationOrder(schema).entries()) {
      const description = docOf(classes, schema.name, name);
      if (description === undefined) {
        undocumented.push(`${schema.name}.${name}`);
        continue;
      }
      const key = `${name}\n${description}`;
      const row = rows.get(key) ?? { name, services: [], defaults: new Map<string, string>(), positions: new Map<string, number>(), description };
      row.services.push(service);
      row.positions.set(service, position);
      row.defaults.set(service, required.has(name) ? 'required' : shownDefault(name, instance[name]));
      rows.set(key, row);
    }
  }
  if (undocumented.length > 0) {
    throw new Error(`These environment variables have no doc comment in their schema class: ${undocumented.join(', ')}`);
  }
  return [...rows.values()];
}

/** Property order of the schema (the base class's first), as `envVariableNames` knows them. */
function declarationOrder(schema: new () => object): string[] {
  const known = new Set(envVariableNames(schema));
  return Object.keys(new schema()).filter((name) => known.has(name));
}

/** A default as a reader wants it: the value in code style, with the unit spelled out where it helps. */
export function shownDefault(name: string, value: unknown): string {
  if (value === undefined) return 'unset';
  if (value === '') return 'empty';
  const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  const shown = `\`${text}\``;
  if (typeof value !== 'number' || value === 0) return shown;
  if (name.endsWith('_MS') && value >= 1_000) return `${shown} (${duration(value)})`;
  if (name.endsWith('_BYTES') && value >= 1_024) return `${shown} (${bytes(value)})`;
  return shown;
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1_000} s`;
}

function bytes(n: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}
