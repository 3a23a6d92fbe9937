import { envVariableNames, requiredEnvVariableNames } from '@mailroom/config';
import { FeedbackEnv, loadFeedbackConfig } from '../../../services/feedback/src/config/feedback.config';
import { loadGatewayConfig } from '../../../services/gateway/src/config/gateway.config';
import { GatewayEnv } from '../../../services/gateway/src/config/gateway.env';
import { loadSenderConfig, SenderEnv } from '../../../services/sender/src/config/sender.config';
import { loadSplitterConfig, SplitterEnv } from '../../../services/splitter/src/config/splitter.config';
import { loadTrackerConfig, TrackerEnv } from '../../../services/tracker/src/config/tracker.config';
import { effectiveEnv, parseDockerfile, type Dockerfile } from './dockerfile';

export type Env = Record<string, string | undefined>;

export interface ServiceSpec {
  readonly name: ServiceName;
  /** The class-validator schema the service validates its environment with at boot. */
  readonly schemaName: string;
  readonly schema: new () => object;
  /** The service's own loader: throws ConfigValidationError listing every bad variable. */
  readonly load: (env: Env) => unknown;
  /** Where `npm run build` puts the bundle, relative to the repository root. */
  readonly bundle: string;
}

export type ServiceName = 'gateway' | 'splitter' | 'sender' | 'tracker' | 'feedback';

export const SERVICE_NAMES: readonly ServiceName[] = ['gateway', 'splitter', 'sender', 'tracker', 'feedback'];

export const SERVICES: Readonly<Record<ServiceName, ServiceSpec>> = {
  gateway: { name: 'gateway', schemaName: 'GatewayEnv', schema: GatewayEnv, load: loadGatewayConfig, bundle: 'dist/services/gateway/main.js' },
  splitter: { name: 'splitter', schemaName: 'SplitterEnv', schema: SplitterEnv, load: loadSplitterConfig, bundle: 'dist/services/splitter/main.js' },
  sender: { name: 'sender', schemaName: 'SenderEnv', schema: SenderEnv, load: loadSenderConfig, bundle: 'dist/services/sender/main.js' },
  tracker: { name: 'tracker', schemaName: 'TrackerEnv', schema: TrackerEnv, load: loadTrackerConfig, bundle: 'dist/services/tracker/main.js' },
  feedback: { name: 'feedback', schemaName: 'FeedbackEnv', schema: FeedbackEnv, load: loadFeedbackConfig, bundle: 'dist/services/feedback/main.js' },
};

export const isServiceName = (value: string): value is ServiceName => (SERVICE_NAMES as readonly string[]).includes(value);

/** Every variable the service's schema knows (`envVariableNames` from @mailroom/config). */
export const knownVariables = (service: ServiceName): string[] => envVariableNames(SERVICES[service].schema);

/** Variables without a default that are not optional: the service refuses to start without them. */
export function requiredVariables(service: ServiceName): string[] {
  return requiredEnvVariableNames(SERVICES[service].schema);
}

/** The default of one variable, as the schema declares it. */
export function schemaDefault(service: ServiceName, variable: string): unknown {
  return (new SERVICES[service].schema() as Record<string, unknown>)[variable];
}

/** HTTP_PORT as the service will use it: the variable if set, else the schema's default. */
export function effectiveHttpPort(service: ServiceName, env: Env): number {
  const set = env['HTTP_PORT'];
  return set !== undefined && set.trim() !== '' ? Number(set) : Number(schemaDefault(service, 'HTTP_PORT'));
}

/** A port variable as the service will use it: set, else the schema's default. */
function effectivePort(service: ServiceName, env: Env, variable: string): number {
  const set = env[variable];
  return set !== undefined && set.trim() !== '' ? Number(set) : Number(schemaDefault(service, variable));
}

/**
 * Every port the service listens on, by name: `http` (HTTP_PORT), `grpc` (GRPC_PORT) on the
 * gateway, `smtp` (FEEDBACK_SMTP_PORT, the inbound bounces) on feedback.
 */
export function servedPorts(service: ServiceName, env: Env): Record<string, number> {
  const ports: Record<string, number> = { http: effectiveHttpPort(service, env) };
  if (service === 'gateway') ports['grpc'] = effectivePort(service, env, 'GRPC_PORT');
  if (service === 'feedback') ports['smtp'] = effectivePort(service, env, 'FEEDBACK_SMTP_PORT');
  return ports;
}

/** SHUTDOWN_TIMEOUT_MS as the service will use it. */
export function effectiveShutdownTimeoutMs(service: ServiceName, env: Env): number {
  const set = env['SHUTDOWN_TIMEOUT_MS'];
  return set !== undefined && set.trim() !== '' ? Number(set) : Number(schemaDefault(service, 'SHUTDOWN_TIMEOUT_MS'));
}

/**
 * The process exits at the latest SHUTDOWN_TIMEOUT_MS + this after SIGTERM (the deadline in
 * libs/observability/src/lifecycle/graceful-shutdown.ts).
 */
export const SHUTDOWN_EXIT_SLACK_MS = 5_000;

/** The health endpoints every service serves (libs/observability/src/health/health.controller.ts). */
export const HEALTH = { live: '/health/live', ready: '/health/ready', metrics: '/metrics' } as const;

/**
 * Variables the manifests take from Secrets have no value in the repository. To run a service's
 * config loader over a manifest's environment, each gets a placeholder of the right shape here.
 * A new secret variable needs an entry (the test that uses this says so).
 */
export const SECRET_PLACEHOLDERS: Readonly<Record<string, string>> = {
  API_KEYS: 'ci:placeholder-key-0123456789',
  SMTP_URL: 'smtp://smtp.example.org:587',
  UNSUBSCRIBE_SECRET: 'ci-placeholder-unsubscribe-secret-0123456789',
  BOUNCE_SECRET: 'ci-placeholder-bounce-secret-0123456789abcdef',
  SMTP_PROVIDERS: '[{"name":"relay","url":"smtp://smtp.example.org:587","ratePerSecond":50}]',
  DKIM_KEYS: '[]',
  WEBHOOK_SECRET: 'ci-placeholder-webhook-secret-0123456789',
};

let dockerfile: Dockerfile | undefined;

/**
 * The variables the service's image sets (the ENV of its Dockerfile target and the stages below:
 * NODE_ENV=production, HTTP_PORT). Compose and the manifests run that image, so their environment
 * comes on top of these: production requirements (UNSUBSCRIBE_SECRET, PUBLIC_BASE_URL,
 * BOUNCE_DOMAIN, BOUNCE_SECRET …) apply to them.
 */
export function imageEnvironment(service: ServiceName): Env {
  dockerfile ??= parseDockerfile();
  return effectiveEnv(dockerfile, service);
}

/**
 * Runs the service's loader over the environment as the container sees it (the image's ENV, then
 * `env` on top); returns its problems (empty when the environment is accepted).
 */
export function loaderProblems(service: ServiceName, env: Env): string[] {
  try {
    SERVICES[service].load({ ...imageEnvironment(service), ...env });
    return [];
  } catch (error) {
    const problems = (error as { problems?: readonly string[] }).problems;
    return problems ? [...problems] : [(error as Error).message];
  }
}

/** Problems of an environment against a service's schema: unknown names and missing required ones. */
export function variableProblems(service: ServiceName, setNames: Iterable<string>, where: string): string[] {
  const known = new Set(knownVariables(service));
  const set = new Set(setNames);
  const problems: string[] = [];
  for (const name of [...set].sort()) {
    if (!known.has(name)) {
      problems.push(
        `${where}: ${name} is not a variable of ${SERVICES[service].schemaName} (it knows: ${[...known].join(', ')})`,
      );
    }
  }
  for (const name of requiredVariables(service)) {
    if (!set.has(name)) problems.push(`${where}: required variable ${name} of ${SERVICES[service].schemaName} is not set`);
  }
  return problems;
}
