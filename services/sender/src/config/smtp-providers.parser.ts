import { maskSmtpUrl } from '@mailroom/mailer';
import { planLeases } from '@mailroom/rate-limit';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { defaultBurst, PROVIDER_NAME_PATTERN, type ProviderConfig, type ProviderDefaults } from './provider.config';
import { SMTP_URL_PATTERN } from './smtp-url';

const wholeNumber = (min: number) => ({ message: `must be a whole number of at least ${min}` });
const finite = { allowNaN: false, allowInfinity: false };

class ProviderTimeoutsSpec {
  @IsOptional() @IsInt(wholeNumber(100)) @Min(100, wholeNumber(100))
  connectionMs?: number;

  @IsOptional() @IsInt(wholeNumber(100)) @Min(100, wholeNumber(100))
  greetingMs?: number;

  @IsOptional() @IsInt(wholeNumber(100)) @Min(100, wholeNumber(100))
  socketMs?: number;

  @IsOptional() @IsInt(wholeNumber(100)) @Min(100, wholeNumber(100))
  dataMs?: number;
}

class ProviderBreakerSpec {
  @IsOptional() @IsInt(wholeNumber(1)) @Min(1, wholeNumber(1)) @Max(1000, { message: 'must be at most 1000' })
  failureThreshold?: number;

  @IsOptional() @IsInt(wholeNumber(100)) @Min(100, wholeNumber(100))
  cooldownMs?: number;
}

/** One entry of SMTP_PROVIDERS as written; unknown fields are refused (a typo must not pass silently). */
class ProviderSpec {
  @IsString({ message: 'is required' })
  @Matches(PROVIDER_NAME_PATTERN, { message: 'must be 1-32 characters of a-z, 0-9, "-" or "_", starting with a letter or digit' })
  name!: string;

  @IsString({ message: 'is required, e.g. smtp://user:pass@host:587' })
  @Matches(SMTP_URL_PATTERN, { message: 'must be an smtp:// or smtps:// URL' })
  url!: string;

  // stopAtFirstError checks the bottom decorator first: the type, then the range.
  @IsPositive({ message: 'must be above 0' })
  @IsNumber(finite, { message: 'is required: emails per second, a number above 0' })
  ratePerSecond!: number;

  @IsOptional() @Min(1, { message: 'must be at least 1' }) @IsNumber(finite, { message: 'must be a number' })
  burst?: number;

  @IsOptional() @IsInt(wholeNumber(1)) @Min(1, wholeNumber(1)) @Max(100, { message: 'must be at most 100' })
  maxConnections?: number;

  @IsOptional() @IsInt(wholeNumber(1)) @Min(1, wholeNumber(1))
  maxMessages?: number;

  @IsOptional() @IsInt({ message: 'must be a whole number (lower is preferred)' })
  priority?: number;

  @IsOptional() @ValidateNested() @Type(() => ProviderTimeoutsSpec)
  timeouts?: ProviderTimeoutsSpec;

  @IsOptional() @ValidateNested() @Type(() => ProviderBreakerSpec)
  breaker?: ProviderBreakerSpec;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Parses SMTP_PROVIDERS. Problems name the field (`SMTP_PROVIDERS[1].url: must be …`) and never
 * echo a value: URLs carry credentials, and JSON.parse's own message quotes the input.
 */
export function parseSmtpProviders(json: string, defaults: ProviderDefaults): ParseResult<ProviderConfig[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problems: ['SMTP_PROVIDERS: is not valid JSON (expected a list of {"name", "url", "ratePerSecond", …})'] };
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    return { ok: false, problems: ['SMTP_PROVIDERS: must be a non-empty JSON list of providers'] };
  }
  const problems: string[] = [];
  const providers: ProviderConfig[] = [];
  const names = new Set<string>();
  raw.forEach((item: unknown, index) => {
    const at = `SMTP_PROVIDERS[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at}: must be an object like {"name", "url", "ratePerSecond"}`);
      return;
    }
    const spec = plainToInstance(ProviderSpec, item);
    const errors = validateSync(spec, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false, stopAtFirstError: true });
    if (errors.length > 0) {
      problems.push(...errors.flatMap((error) => describe(error, at)));
      return;
    }
    // Names are labels and KV keys, not secrets: safe to quote.
    if (names.has(spec.name)) problems.push(`${at}.name: "${spec.name}" is used twice`);
    names.add(spec.name);
    const resolved = resolve(spec, defaults, at);
    if (typeof resolved === 'string') problems.push(resolved);
    else providers.push(resolved);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: providers };
}

/** Applies defaults and checks that the burst can be shared between replicas; a string is a problem. */
function resolve(spec: ProviderSpec, defaults: ProviderDefaults, at: string): ProviderConfig | string {
  const burst = spec.burst ?? defaultBurst(spec.ratePerSecond);
  const planProblem = checkBucket(spec.ratePerSecond, burst);
  if (planProblem) return `${at}.burst: ${planProblem}`;
  return {
    name: spec.name,
    url: spec.url,
    maskedUrl: maskSmtpUrl(spec.url),
    ratePerSecond: spec.ratePerSecond,
    burst,
    priority: spec.priority ?? 0,
    pool: {
      maxConnections: spec.maxConnections ?? defaults.pool.maxConnections,
      maxMessages: spec.maxMessages ?? defaults.pool.maxMessages,
      connectionTimeoutMs: spec.timeouts?.connectionMs ?? defaults.pool.connectionTimeoutMs,
      greetingTimeoutMs: spec.timeouts?.greetingMs ?? defaults.pool.greetingTimeoutMs,
      socketTimeoutMs: spec.timeouts?.socketMs ?? defaults.pool.socketTimeoutMs,
      dataTimeoutMs: spec.timeouts?.dataMs ?? defaults.pool.dataTimeoutMs,
    },
    breaker: {
      failureThreshold: spec.breaker?.failureThreshold ?? defaults.breaker.failureThreshold,
      cooldownMs: spec.breaker?.cooldownMs ?? defaults.breaker.cooldownMs,
    },
  };
}

/**
 * The shared bucket's own check (what SharedTokenBucket would throw at boot), as a message naming
 * the smallest burst that works. That is searched here: the lease chunk grows with the burst, so
 * the plan's own hint can be one or two short.
 */
export function checkBucket(ratePerSecond: number, burst: number): string | undefined {
  if (plans(ratePerSecond, burst)) return undefined;
  let enough = Math.floor(burst) + 1;
  while (!plans(ratePerSecond, enough) && enough < burst + 10 * ratePerSecond + 100) enough += 1;
  return `burst ${burst} is too small to share ${ratePerSecond}/s between replicas: use a burst of at least ${enough}`;
}

function plans(ratePerSecond: number, burst: number): boolean {
  try {
    planLeases({ ratePerSecond, burst });
    return true;
  } catch {
    return false;
  }
}

function describe(error: ValidationError, at: string): string[] {
  const path = `${at}.${error.property}`;
  const constraints = error.constraints ?? {};
  const own =
    'whitelistValidation' in constraints
      ? [`${path}: is not a known field`]
      : Object.keys(constraints).length > 0
        ? [`${path}: ${Object.values(constraints).join('; ')}`]
        : [];
  return [...own, ...(error.children ?? []).flatMap((child) => describe(child, path))];
}
