import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from 'yaml';
import {
  COMPOSE_SERVICE_KEYS,
  commandArgs,
  durationMs,
  loadCompose,
  serviceEnvironment,
  serviceVolumes,
  type ComposeFile,
  type ComposeService,
} from './support/compose';
import { effective, execForm, parseDockerfile, stage } from './support/dockerfile';
import { fromRoot, readRepoFile } from './support/paths';
import {
  effectiveHttpPort,
  effectiveShutdownTimeoutMs,
  imageEnvironment,
  loaderProblems,
  servedPorts,
  SERVICE_NAMES,
  SERVICES,
  SHUTDOWN_EXIT_SLACK_MS,
  variableProblems,
} from './support/services';
import { natsConfValue, parseNatsConf } from './support/workloads';

/**
 * docker-compose.yml, checked without a Docker engine: it parses, every service is built from a
 * Dockerfile target and started with a bundle the build produced, its environment is what the
 * service's config schema accepts, and the NATS, Mailpit, Prometheus and Grafana wiring agrees
 * with the config files it mounts.
 */
const compose: ComposeFile = loadCompose();
const dockerfile = parseDockerfile();
const service = (name: string): ComposeService => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
};
const envOf = (name: string) => serviceEnvironment(service(name));
/** A bind mount's source resolved against the repository root (compose paths are relative to it). */
const bindSource = (source: string) => fromRoot(posix.normalize(source));
const mountedFile = (name: string, target: string): string => {
  const volume = serviceVolumes(service(name)).find((v) => v.target === target);
  if (!volume?.bind) throw new Error(`docker-compose.yml: ${name} does not bind-mount anything at ${target}`);
  return bindSource(volume.source);
};
const publishedPorts = (s: ComposeService): number[] =>
  (s.ports ?? []).map((p) => (typeof p === 'object' ? Number(p.published) : Number(String(p).split(':').slice(-2)[0])));

describe('docker-compose.yml', () => {
  it('parses, and its services use only keys the Compose Specification defines', () => {
    const unknown = Object.entries(compose.services).flatMap(([name, s]) =>
      Object.keys(s)
        .filter((k) => !COMPOSE_SERVICE_KEYS.has(k) && !k.startsWith('x-'))
        .map((k) => `docker-compose.yml: service ${name} has an unknown key "${k}"`),
    );
    expect(unknown).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(
      ['feedback', 'gateway', 'grafana', 'mailpit', 'nats', 'nats-exporter', 'prometheus', 'sender', 'splitter', 'tracker'].sort(),
    );
  });

  it('runs NATS with JetStream on a persistent volume, fsync before ack, monitoring on 8222', () => {
    const nats = service('nats');
    const args = commandArgs(nats) ?? [];
    const confPath = args[args.indexOf('--config') + 1] ?? '';
    const conf = parseNatsConf(readFileSync(mountedFile('nats', confPath), 'utf8'));
    const storeDir = natsConfValue(conf, 'jetstream.store_dir');
    const store = serviceVolumes(nats).find((v) => v.target === storeDir);
    const problems: string[] = [];
    if (!store || store.bind || !compose.volumes || !(store.source in compose.volumes)) {
      problems.push(`nats: the JetStream store_dir ${storeDir} is not on a named volume declared under volumes:`);
    }
    if (natsConfValue(conf, 'jetstream.sync_interval') !== 'always') problems.push('deploy/nats/nats.conf: jetstream.sync_interval is not "always"');
    const monitor = Number(natsConfValue(conf, 'http_port'));
    if (monitor !== 8222 || !publishedPorts(nats).includes(8222)) problems.push(`nats: monitoring is on ${monitor}, and 8222 must be published`);
    if (!publishedPorts(nats).includes(Number(natsConfValue(conf, 'port')))) problems.push('nats: the client port is not published');
    const health = JSON.stringify(nats.healthcheck?.test ?? '');
    if (!health.includes(`:${monitor}/healthz`)) problems.push(`nats: the healthcheck does not ask /healthz on the monitoring port ${monitor}`);
    expect(problems).toEqual([]);
  });

  it('builds each Mailroom service from its Dockerfile target and starts the bundle the build produces', () => {
    const problems: string[] = [];
    for (const name of SERVICE_NAMES) {
      const s = service(name);
      const build = typeof s.build === 'object' ? s.build : undefined;
      if (!build || (build.context ?? '.') !== '.' || build.target !== name) {
        problems.push(`${name}: build must be { context: ., target: ${name} }, is ${JSON.stringify(s.build)}`);
      }
      if (!stage(dockerfile, build?.target ?? '')) problems.push(`${name}: the Dockerfile has no target "${build?.target}"`);
      if (!/^mailroom\/([a-z-]+):[\w.-]+$/.test(s.image ?? '') || !(s.image ?? '').startsWith(`mailroom/${name}:`)) {
        problems.push(`${name}: image "${s.image}" should be mailroom/${name}:<tag>`);
      }
      const command = commandArgs(s);
      const cmd = effective(dockerfile, name, 'CMD');
      const imageCommand = cmd ? execForm(cmd.args, `CMD of target ${name}`) : undefined;
      const argv = command ?? imageCommand ?? [];
      if (argv.join(' ') !== `node ${SERVICES[name].bundle}`) problems.push(`${name}: command ${JSON.stringify(argv)} does not run ${SERVICES[name].bundle}`);
      if (command && imageCommand && command.join(' ') !== imageCommand.join(' ')) {
        problems.push(`${name}: command ${JSON.stringify(command)} differs from the image's CMD ${JSON.stringify(imageCommand)}`);
      }
      if (!existsSync(fromRoot(SERVICES[name].bundle))) problems.push(`${name}: ${SERVICES[name].bundle} does not exist: run "npm run build" (npm test does)`);
      if (s.healthcheck?.disable) problems.push(`${name}: disables the image's HEALTHCHECK`);
    }
    expect(problems).toEqual([]);
    expect(service('sender').deploy?.replicas).toBe(2);
  });

  it("sets only variables each service's schema knows, every required one, with values its loader accepts", () => {
    const problems = SERVICE_NAMES.flatMap((name) => [
      ...variableProblems(name, Object.keys(envOf(name)), `docker-compose.yml service ${name}`),
      ...loaderProblems(name, envOf(name)).map((p) => `docker-compose.yml service ${name}: ${p}`),
    ]);
    expect(problems).toEqual([]);
  });

  it('gives every service one explicit STREAM_REPLICAS, 1 for the one NATS server', () => {
    const values = SERVICE_NAMES.map((name) => `${name}: ${envOf(name)['STREAM_REPLICAS']}`);
    expect(values).toEqual(SERVICE_NAMES.map((name) => `${name}: 1`));
  });

  it('points every service at the compose NATS and the senders at Mailpit', () => {
    const conf = parseNatsConf(readRepoFile('deploy', 'nats', 'nats.conf'));
    const problems: string[] = [];
    for (const name of SERVICE_NAMES) {
      const url = new URL(envOf(name)['NATS_URL'] ?? 'nats://127.0.0.1:4222');
      if (url.hostname !== 'nats' || url.port !== natsConfValue(conf, 'port')) problems.push(`${name}: NATS_URL ${url.href} is not the nats service's client port`);
      const deps = service(name).depends_on;
      const onNats = Array.isArray(deps) ? deps.includes('nats') : (deps as Record<string, { condition?: string }> | undefined)?.['nats']?.condition === 'service_healthy';
      if (!onNats) problems.push(`${name}: does not wait for a healthy nats (depends_on)`);
    }
    const smtp = new URL(envOf('sender')['SMTP_URL'] ?? '');
    if (smtp.hostname !== 'mailpit' || smtp.port !== '1025') problems.push(`sender: SMTP_URL ${smtp.href} is not Mailpit's SMTP port (mailpit:1025)`);
    if (!publishedPorts(service('mailpit')).includes(8025)) problems.push('mailpit: the web UI (8025) is not published');
    expect(problems).toEqual([]);
  });

  it("publishes feedback's inbound SMTP port (bounces from the host) on the port it listens on", () => {
    const listens = servedPorts('feedback', { ...imageEnvironment('feedback'), ...envOf('feedback') })['smtp'];
    const mapped = (service('feedback').ports ?? []).map((p) =>
      typeof p === 'object' ? `${p.published}:${p.target}` : String(p).split(':').slice(-2).join(':'),
    );
    expect(mapped).toContain(`${listens}:${listens}`);
  });

  it('gives SIGTERM more time than the shutdown drain (stop_grace_period)', () => {
    const problems = SERVICE_NAMES.flatMap((name) => {
      const grace = durationMs(service(name).stop_grace_period ?? '10s');
      const drain = effectiveShutdownTimeoutMs(name, envOf(name)) + SHUTDOWN_EXIT_SLACK_MS;
      return grace > drain ? [] : [`${name}: stop_grace_period ${grace} ms <= SHUTDOWN_TIMEOUT_MS + exit deadline ${drain} ms`];
    });
    expect(problems).toEqual([]);
  });

  describe('Prometheus', () => {
    interface ScrapeConfig {
      job_name: string;
      metrics_path?: string;
      static_configs?: { targets: string[] }[];
      dns_sd_configs?: { names: string[]; type?: string; port: number }[];
    }
    interface PrometheusConfig {
      rule_files?: string[];
      scrape_configs: ScrapeConfig[];
    }
    const prometheus = service('prometheus');
    const configPath = (commandArgs(prometheus) ?? []).find((a) => a.startsWith('--config.file='))?.split('=')[1] ?? '/etc/prometheus/prometheus.yml';
    const config = () => parse(readRepoFile('deploy', 'prometheus', 'prometheus.yml')) as PrometheusConfig;
    /** host:port of every target of a job. */
    const targets = (job: ScrapeConfig): string[] => [
      ...(job.static_configs ?? []).flatMap((s) => s.targets),
      ...(job.dns_sd_configs ?? []).flatMap((d) => d.names.map((n) => `${n}:${d.port}`)),
    ];

    it("mounts the project's scrape config and the rules folder", () => {
      expect(mountedFile('prometheus', configPath)).toBe(fromRoot('deploy', 'prometheus', 'prometheus.yml'));
      const ruleDirs = new Set((config().rule_files ?? []).map((f) => posix.dirname(f)));
      expect([...ruleDirs]).toEqual(['/etc/prometheus/rules']);
      expect(mountedFile('prometheus', '/etc/prometheus/rules')).toBe(fromRoot('deploy', 'prometheus', 'rules'));
    });

    it('scrapes /metrics of every service (every replica) on its HTTP port, and the NATS exporter', () => {
      const jobs = config().scrape_configs;
      const problems: string[] = [];
      for (const name of SERVICE_NAMES) {
        const port = effectiveHttpPort(name, envOf(name));
        const job = jobs.filter((j) => targets(j).some((t) => t.split(':')[0] === name));
        if (job.length !== 1) {
          problems.push(`prometheus.yml: ${job.length} jobs scrape ${name} (want 1)`);
          continue;
        }
        const j = job[0]!;
        if (j.job_name !== name) problems.push(`prometheus.yml: the job scraping ${name} is "${j.job_name}"; use the service name (as the ServiceMonitor does)`);
        if ((j.metrics_path ?? '/metrics') !== '/metrics') problems.push(`prometheus.yml: job ${j.job_name} scrapes ${j.metrics_path}`);
        for (const t of targets(j)) if (t !== `${name}:${port}`) problems.push(`prometheus.yml: job ${j.job_name} target ${t}, ${name} listens on HTTP_PORT ${port}`);
        if ((service(name).deploy?.replicas ?? 1) > 1 && !j.dns_sd_configs) problems.push(`prometheus.yml: ${name} runs several replicas; use dns_sd_configs to reach each`);
      }
      for (const j of jobs) {
        for (const t of targets(j)) {
          const host = t.split(':')[0]!;
          if (host !== 'localhost' && !compose.services[host]) problems.push(`prometheus.yml: job ${j.job_name} target ${t} is not a compose service`);
        }
      }
      const exporterArgs = commandArgs(service('nats-exporter')) ?? [];
      const exporterPort = exporterArgs.find((a) => a.startsWith('-port='))?.split('=')[1];
      const natsJob = jobs.find((j) => j.job_name === 'nats');
      if (!natsJob || targets(natsJob).join() !== `nats-exporter:${exporterPort}`) problems.push(`prometheus.yml: job nats should scrape nats-exporter:${exporterPort}`);
      const monitor = natsConfValue(parseNatsConf(readRepoFile('deploy', 'nats', 'nats.conf')), 'http_port');
      if (!exporterArgs.includes(`http://nats:${monitor}`)) problems.push(`nats-exporter: does not read http://nats:${monitor}`);
      if (!exporterArgs.includes('-jsz=all')) problems.push('nats-exporter: without -jsz=all there are no consumer backlog metrics');
      expect(problems).toEqual([]);
    });
  });

  describe('Grafana', () => {
    it('has the compose Prometheus as its provisioned datasource', () => {
      const provisioning = mountedFile('grafana', '/etc/grafana/provisioning');
      expect(provisioning).toBe(fromRoot('deploy', 'grafana', 'provisioning'));
      const ds = parse(readRepoFile('deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml')) as {
        datasources: { uid: string; type: string; url: string }[];
      };
      const prometheus = ds.datasources.find((d) => d.type === 'prometheus');
      expect(prometheus?.uid).toBe('prometheus');
      const url = new URL(prometheus?.url ?? '');
      expect(compose.services[url.hostname]).toBe(compose.services['prometheus']);
      expect(url.port).toBe('9090');
    });

    it('loads the dashboards from the mounted deploy/grafana/dashboards', () => {
      const provider = parse(readRepoFile('deploy', 'grafana', 'provisioning', 'dashboards', 'mailroom.yml')) as {
        providers: { type: string; options: { path: string } }[];
      };
      const paths = provider.providers.filter((p) => p.type === 'file').map((p) => p.options.path);
      expect(paths).toHaveLength(1);
      expect(mountedFile('grafana', paths[0]!)).toBe(fromRoot('deploy', 'grafana', 'dashboards'));
    });
  });

  it('bind-mounts only files and folders that exist in the repository', () => {
    const missing = Object.entries(compose.services).flatMap(([name, s]) =>
      serviceVolumes(s)
        .filter((v) => v.bind && !existsSync(bindSource(v.source)))
        .map((v) => `${name}: ${v.source} does not exist`),
    );
    expect(missing).toEqual([]);
  });

  it('publishes every localhost URL deploy/README.md tells you to open', () => {
    const readme = readRepoFile('deploy', 'README.md');
    const ports = [...readme.matchAll(/(?:http|nats):\/\/localhost:(\d+)/g)].map((m) => Number(m[1]));
    const published = new Set(Object.values(compose.services).flatMap(publishedPorts));
    expect(ports.length).toBeGreaterThan(4);
    expect(ports.filter((p) => !published.has(p)).map((p) => `localhost:${p} is not published by docker-compose.yml`)).toEqual([]);
  });
});
