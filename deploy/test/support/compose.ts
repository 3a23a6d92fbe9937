import { parseDocument } from 'yaml';
import { readRepoFile } from './paths';

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string; readonly target?: string; readonly dockerfile?: string };
  readonly command?: string | readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>> | readonly string[];
  readonly ports?: readonly (string | number | { readonly target: number; readonly published?: string | number })[];
  readonly volumes?: readonly (string | { readonly type?: string; readonly source?: string; readonly target: string })[];
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition?: string }>>;
  readonly healthcheck?: { readonly test?: string | readonly string[]; readonly disable?: boolean };
  readonly deploy?: { readonly replicas?: number };
  readonly stop_grace_period?: string;
  readonly [key: string]: unknown;
}

export interface ComposeFile {
  readonly name?: string;
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * docker-compose.yml as `docker compose config` would see it with an empty shell environment:
 * YAML merge keys (<<) applied, ${VAR:-default} / ${VAR-default} / ${VAR:?message} / ${VAR}
 * interpolated, $$ unescaped. Throws on YAML errors and on a required variable without a value.
 */
export function loadCompose(env: Readonly<Record<string, string>> = {}): ComposeFile {
  const text = readRepoFile('docker-compose.yml');
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length > 0) throw new Error(`docker-compose.yml: ${doc.errors.map((e) => e.message).join('; ')}`);
  return interpolate(doc.toJS(), env, '') as ComposeFile;
}

function interpolate(value: unknown, env: Readonly<Record<string, string>>, at: string): unknown {
  if (typeof value === 'string') return interpolateString(value, env, at);
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, `${at}.${k}`)]));
  }
  return value;
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function interpolateString(text: string, env: Readonly<Record<string, string>>, at = ''): string {
  return text.replace(VARIABLE, (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = env[name];
    // With a colon, an empty value counts as unset (as in compose).
    const missing = value === undefined || (operator?.startsWith(':') === true && value === '');
    if (!missing) return value;
    if (operator === ':?' || operator === '?') {
      throw new Error(`docker-compose.yml${at}: required variable ${name} is not set (${argument ?? ''})`);
    }
    return operator ? (argument ?? '') : '';
  });
}

/** The environment mapping of a service, whichever of the two compose forms it uses. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const env = service.environment;
  if (!env) return {};
  if (isList(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const isList = (value: unknown): value is readonly string[] => Array.isArray(value);

/** `command` as an argv list (the string form split on whitespace, as compose does without a shell). */
export function commandArgs(service: ComposeService): string[] | undefined {
  if (service.command === undefined) return undefined;
  return typeof service.command === 'string' ? service.command.trim().split(/\s+/) : [...service.command];
}

/** Bind mounts and named volumes of a service as { source, target }. */
export function serviceVolumes(service: ComposeService): { source: string; target: string; bind: boolean }[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      return { source: source!, target: target!, bind: source!.startsWith('.') || source!.startsWith('/') };
    }
    return { source: v.source ?? '', target: v.target, bind: v.type === 'bind' };
  });
}

/**
 * Keys a compose service may have (the Compose Specification's service definition). A key outside
 * this list is a typo that `docker compose` would refuse or, for x- keys, ignore.
 */
export const COMPOSE_SERVICE_KEYS = new Set([
  'annotations', 'attach', 'blkio_config', 'build', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent', 'command',
  'configs', 'container_name', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period',
  'cpu_rt_runtime', 'cpu_shares', 'cpus', 'cpuset', 'credential_spec', 'depends_on', 'deploy', 'develop',
  'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'domainname', 'entrypoint', 'env_file',
  'environment', 'expose', 'extends', 'external_links', 'extra_hosts', 'group_add', 'healthcheck', 'hostname',
  'image', 'init', 'ipc', 'isolation', 'labels', 'links', 'logging', 'mac_address', 'mem_limit',
  'mem_reservation', 'mem_swappiness', 'memswap_limit', 'network_mode', 'networks', 'oom_kill_disable',
  'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'privileged', 'profiles', 'pull_policy',
  'read_only', 'restart', 'runtime', 'scale', 'secrets', 'security_opt', 'shm_size', 'stdin_open',
  'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'user', 'userns_mode',
  'uts', 'volumes', 'volumes_from', 'working_dir',
]);

/** Compose durations ("35s", "1m30s", "500ms") in milliseconds. */
export function durationMs(text: string): number {
  const parts = /^((\d+)h)?((\d+)m(?!s))?((\d+)s)?((\d+)ms)?$/.exec(text.trim());
  if (!parts || text.trim() === '') throw new Error(`not a compose duration: "${text}"`);
  return Number(parts[2] ?? 0) * 3_600_000 + Number(parts[4] ?? 0) * 60_000 + Number(parts[6] ?? 0) * 1_000 + Number(parts[8] ?? 0);
}
