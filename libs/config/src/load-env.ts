import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ConfigValidationError } from './config-validation.error';

type EnvSource = Record<string, string | undefined>;

/**
 * Validates the environment against a schema class (class-validator decorators, defaults as
 * property initialisers) and returns the typed instance. Empty strings count as unset, so
 * `FOO=` in a compose file falls back to the default instead of failing a number check.
 * Values are never echoed back in errors: some variables hold secrets.
 */
export function loadEnv<T extends object>(schema: new () => T, env: EnvSource = process.env): T {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[key] = value;
  }
  const instance = plainToInstance(schema, present, {
    exposeDefaultValues: true,
    enableImplicitConversion: false,
  });
  const errors = validateSync(instance, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigValidationError(errors.flatMap(describe));
  return instance;
}

function describe(error: ValidationError): string[] {
  const messages = Object.values(error.constraints ?? {});
  const own = messages.length > 0 ? [`${error.property}: ${messages.join('; ')}`] : [];
  return [...own, ...(error.children ?? []).flatMap(describe)];
}

/** The variable names a schema class knows, for the deploy consistency tests. */
export function envVariableNames<T extends object>(schema: new () => T): string[] {
  return Object.keys(new schema()).sort();
}

/** The variables a service refuses to start without: no default, and not marked @IsOptional. */
export function requiredEnvVariableNames<T extends object>(schema: new () => T): string[] {
  const defaults = new schema() as Record<string, unknown>;
  const optional = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(schema, '', true, false)
      .filter((m) => m.type === 'conditionalValidation')
      .map((m) => m.propertyName),
  );
  return Object.keys(defaults)
    .filter((key) => defaults[key] === undefined && !optional.has(key))
    .sort();
}

/**
 * Runs a config loader at process start. A bad environment ends the process with exit code 1 and
 * one line per bad variable on stderr, before anything connects anywhere.
 */
export function loadConfigOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service, msg: message })}\n`);
    process.stderr.write(`${service}: ${message}\n`);
    process.exit(1);
  }
}
