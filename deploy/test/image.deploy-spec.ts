import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { dockerignore } from './support/dockerignore';
import { effective, effectiveEnv, execForm, lineage, parseDockerfile, stage, type Stage } from './support/dockerfile';
import { fromRoot, readRepoFile } from './support/paths';
import { SERVICE_NAMES, SERVICES, schemaDefault, servedPorts } from './support/services';

/**
 * The Dockerfile and its build context, checked without a Docker engine: the targets the compose
 * file and the manifests name, production dependencies only, a non-root runtime, and a context that
 * carries what the build needs and nothing it must not (secrets, dist, node_modules).
 */
const dockerfile = parseDockerfile();
const copyArgs = (s: Stage) => s.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);

interface LockPackage {
  readonly version: string;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
}
const lock = JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, LockPackage> };
const manifest = JSON.parse(readRepoFile('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('Dockerfile', () => {
  it('has one target per service, each built FROM the shared runtime stage', () => {
    const problems = SERVICE_NAMES.flatMap((name) => {
      const chain = lineage(dockerfile, name).map((s) => s.name);
      return chain[1] === 'runtime' ? [] : [`Dockerfile: target ${name} should be FROM runtime, lineage is ${chain.join(' <- ') || 'missing'}`];
    });
    expect(problems).toEqual([]);
  });

  it('gives each target the HTTP_PORT the service defaults to, EXPOSEd, and a CMD that starts its bundle', () => {
    const problems: string[] = [];
    for (const name of SERVICE_NAMES) {
      const port = String(schemaDefault(name, 'HTTP_PORT'));
      if (effectiveEnv(dockerfile, name)['HTTP_PORT'] !== port) problems.push(`Dockerfile target ${name}: ENV HTTP_PORT should be ${port}`);
      const ports = Object.values(servedPorts(name, effectiveEnv(dockerfile, name))).join(' ');
      if (effective(dockerfile, name, 'EXPOSE')?.args !== ports) problems.push(`Dockerfile target ${name}: should EXPOSE ${ports}`);
      const cmd = effective(dockerfile, name, 'CMD');
      const argv = cmd ? execForm(cmd.args, `CMD of target ${name}`) : [];
      if (argv.join(' ') !== `node ${SERVICES[name].bundle}`) {
        problems.push(`Dockerfile target ${name}: CMD should be ["node", "${SERVICES[name].bundle}"], is ${cmd?.args}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs as a non-root user with a HEALTHCHECK on the readiness endpoint', () => {
    const problems: string[] = [];
    for (const name of SERVICE_NAMES) {
      const user = effective(dockerfile, name, 'USER')?.args ?? 'root';
      if (/^(root|0)(:|$)/.test(user)) problems.push(`Dockerfile target ${name}: runs as ${user}`);
      const hc = effective(dockerfile, name, 'HEALTHCHECK')?.args ?? '';
      if (!hc.includes('/health/ready') || !hc.includes('process.env.HTTP_PORT')) problems.push(`Dockerfile target ${name}: HEALTHCHECK does not ask /health/ready on HTTP_PORT`);
      if (/\bcurl\b|\bwget\b/.test(hc)) problems.push(`Dockerfile target ${name}: HEALTHCHECK needs a tool the slim image lacks`);
    }
    expect(problems).toEqual([]);
  });

  it('copies into the runtime only production node_modules, package.json and the bundles', () => {
    const runtime = stage(dockerfile, 'runtime')!;
    const copies = copyArgs(runtime);
    expect(copies).toEqual([
      '--from=prod-deps /app/node_modules ./node_modules',
      '--from=prod-deps /app/package.json ./package.json',
      '--from=build /app/dist/services ./dist/services',
    ]);
    const prodDeps = stage(dockerfile, 'prod-deps')!;
    const install = prodDeps.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(install.map((i) => i.args).join('\n')).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('builds the same bundles as `npm run build`', () => {
    const build = stage(dockerfile, 'build')!;
    const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => r.startsWith('npm run build'))).toBe(true);
    for (const name of SERVICE_NAMES) expect(runs.join('\n')).toContain(`test -f ${SERVICES[name].bundle}`);
  });
});

describe('production dependencies', () => {
  const required = new Map<string, Set<string>>();
  beforeAll(() => {
    for (const name of SERVICE_NAMES) {
      const bundle = readFileSync(fromRoot(SERVICES[name].bundle), 'utf8');
      for (const m of bundle.matchAll(/require\("([^"./][^"]*)"\)/g)) {
        const id = m[1]!;
        if (id.startsWith('node:') || builtinModules.includes(id)) continue;
        const pkg = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!;
        if (!required.has(pkg)) required.set(pkg, new Set());
        required.get(pkg)!.add(name);
      }
    }
  });

  it('are all the bundles require: each is installed by `npm ci --omit=dev`', () => {
    expect(required.size).toBeGreaterThan(5);
    const missing = [...required].flatMap(([pkg, by]) => {
      const entry = lock.packages[`node_modules/${pkg}`];
      if (!entry) return [`${pkg} (required by ${[...by].join(', ')}) is not in package-lock.json`];
      if (entry.dev) return [`${pkg} (required by ${[...by].join(', ')}) is a dev-only package: npm ci --omit=dev leaves it out of the image`];
      return [];
    });
    expect(missing).toEqual([]);
  });

  it('are declared in package.json "dependencies"', () => {
    const undeclared = [...required.keys()].filter((pkg) => !(pkg in manifest.dependencies));
    expect(undeclared.map((pkg) => `${pkg} is required by a bundle but is not in package.json "dependencies"`)).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignore();
  /** Every source file of the workspace's projects, relative to the root. */
  const sources = (dir: string): string[] =>
    readdirSync(fromRoot(dir), { withFileTypes: true }).flatMap((e) =>
      e.name === 'node_modules' ? [] : e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)],
    );
  const tracked = [...sources('services'), ...sources('libs')];

  it('keeps secrets, local state, builds, dependencies, tests and deploy/ out of the build context', () => {
    const mustStayOut = [
      '.env',
      '.env.production',
      'services/sender/.env',
      'node_modules/nx/package.json',
      'dist/services/gateway/main.js',
      '.git/HEAD',
      '.nx/workspace-data/x',
      'deploy/README.md',
      'docker-compose.yml',
      'services/gateway/test/pipeline.system-spec.ts',
      'libs/config/src/load-env.spec.ts',
      'coverage/lcov.info',
    ];
    expect(mustStayOut.filter((p) => !ignored(p)).map((p) => `${p} would be sent to the docker build`)).toEqual([]);
  });

  it('lets in everything `npm ci` and `npm run build` read', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
      ...tracked.filter((f) => /^(services|libs)\//.test(f) && !/(^|\/)test\//.test(f) && !/[.-]spec\.ts$/.test(f)),
    ];
    expect(needed.filter((p) => ignored(p)).map((p) => `${p} is needed by the build but .dockerignore leaves it out`)).toEqual([]);
    // Every project the build runs on is in the context with its config.
    for (const name of readdirSync(fromRoot('services'))) {
      for (const f of ['project.json', 'tsconfig.json', 'tsconfig.app.json', 'webpack.config.js', 'src/main.ts']) {
        expect(ignored(join('services', name, f))).toBe(false);
      }
    }
  });

  it("lets in every file the Dockerfile COPYs from the context", () => {
    const sources = dockerfile.stages
      .flatMap(copyArgs)
      .filter((a) => !a.startsWith('--from='))
      .flatMap((a) => a.split(/\s+/).slice(0, -1))
      .filter((s) => s !== '.');
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => ignored(s)).map((s) => `COPY ${s}: .dockerignore leaves it out`)).toEqual([]);
  });
});
