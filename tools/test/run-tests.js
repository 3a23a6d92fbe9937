#!/usr/bin/env node
// `npm test`: the static checks (typecheck, lint: one check each), then every jest test (the unit,
// transport, system and deploy tiers of jest.config.js), and one closing line that CI reads:
// "N passed, N failed". Arguments go to one jest run and skip the static checks
// (e.g. `npm test -- --selectProjects transport`; `npm run test:<tier>` does that).
//
// Without arguments it runs in two stages, so that CI stays within its 20 minutes on 2 cores
// (one after the other, the tests take ~18 minutes there):
//   1. two lanes at once, each one jest file at a time: the static checks, then the unit and
//      transport tiers; beside them the deploy tier (a fresh clone's npm ci and build, the
//      Kubernetes and Prometheus files), its output held back and printed when it ends; each lane
//      also runs some system tests (BESIDE). Nothing in these measures a tight timing.
//   2. the rest of the system tier alone: those tests start whole stacks of processes, and some
//      measure how soon delivery resumes (a NATS failover) or how evenly it is paced.
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const root = join(__dirname, '..', '..');

/**
 * System tests that may run in the first stage, in each lane: they assert counts and lower bounds
 * of time only (a retention, a stall threshold, retry backoffs through a provider outage, a crash's
 * duplicates, an import's rows, what an API answers, what a log holds), so a busy machine makes
 * them slower, never less true. The lanes came out at 401 s and 369 s in `npm test` on the 2-core
 * machine with the first three and four of the lists (the system tier alone then took 582 s: ~19
 * minutes of CI's 20 with the install and the build); the short ones after them (~60-70 s per
 * lane, alone) moved here on 2026-12-07 to leave CI more room: lanes 435-470 s and 404-430 s, the
 * system tier alone 431-460 s in three runs that day. Not here: the tests of templates
 * (template-budget, personalisation), as the gateway renders each one for a sample recipient at
 * submit within a 50 ms budget, and template-budget's once ran over it on a loaded machine.
 */
const BESIDE = {
  afterUnitAndTransport: [
    'services/tracker/test/retention.system-spec.ts',
    'services/tracker/test/watchdog.system-spec.ts',
    'tools/cli/test/cli.system-spec.ts',
    'services/feedback/test/feedback.system-spec.ts',
    'services/gateway/test/tenants.system-spec.ts',
    'services/tracker/test/dead-letters.system-spec.ts',
    'services/tracker/test/webhooks.system-spec.ts',
    'services/gateway/test/events.system-spec.ts',
    'services/sender/test/deliverability.system-spec.ts',
    'services/gateway/test/openapi-examples.system-spec.ts',
  ],
  withDeploy: [
    'services/sender/test/provider-outage.system-spec.ts',
    'services/sender/test/crash-recovery.system-spec.ts',
    'services/gateway/test/lists.system-spec.ts',
    'services/gateway/test/view.system-spec.ts',
    'services/gateway/test/secrets-in-logs.system-spec.ts',
    'services/gateway/test/audiences.system-spec.ts',
    'services/gateway/test/retry-failed.system-spec.ts',
    'services/gateway/test/engagement.system-spec.ts',
    'services/gateway/test/idempotency.system-spec.ts',
    'services/splitter/test/replayed-events.system-spec.ts',
    'services/splitter/test/list-split.system-spec.ts',
    'services/gateway/test/openapi.system-spec.ts',
    'services/gateway/test/grpc-types.system-spec.ts',
  ],
};
const BESIDE_ALL = [...BESIDE.afterUnitAndTransport, ...BESIDE.withDeploy];

const jestArgs = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'mailroom-jest-'));
let passed = 0;
let failed = 0;
let jestRuns = 0;
/** Every test file's wall time (seconds), by path: the slowest are listed at the end (CI's budget is 20 minutes). */
const fileSeconds = new Map();
/** How many of the slowest files the closing report names. */
const SLOWEST_SHOWN = 12;

/** Runs a script of node_modules; `held`: its output is kept and printed once it ends (a lane beside another). */
function node(label, script, args, { held = false } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    // Resolved by path, not through package exports (eslint does not export its bin).
    const child = spawn(process.execPath, [join(root, 'node_modules', script), ...args], { cwd: root, stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const output = [];
    if (held) {
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
    }
    child.on('close', (code, signal) => {
      if (held) process.stdout.write(`\n===== ${label}: its output =====\n${Buffer.concat(output).toString('utf8')}\n===== end of ${label} =====\n`);
      const ok = code === 0;
      console.log(`${ok ? 'PASS' : 'FAIL'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)${signal ? `, killed by ${signal}` : ''}`);
      resolve(ok);
    });
  });
}

async function check(label, script, args) {
  if (await node(label, script, args)) passed += 1;
  else failed += 1;
}

/** One jest run, its tests added to the tally. System and deploy suites start processes: one file at a time, always. */
async function jest(label, args, options) {
  jestRuns += 1;
  const results = join(dir, `results-${jestRuns}.json`);
  const ok = await node(label, join('jest', 'bin', 'jest.js'), ['--json', `--outputFile=${results}`, '--runInBand', ...args], options);
  let counted = 0;
  try {
    const summary = JSON.parse(readFileSync(results, 'utf8'));
    passed += summary.numPassedTests;
    counted = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
    for (const file of summary.testResults) {
      if (file.endTime > file.startTime) fileSeconds.set(relative(root, file.name), (file.endTime - file.startTime) / 1000);
    }
  } catch (error) {
    console.error(`Could not read the results of ${label}: ${error.message}`);
    counted = 1;
  }
  failed += counted;
  if (!ok && counted === 0) failed += 1;
}

/** Every test file jest.config.js finds, relative to the root, by tier (the suffix names it, see jest.config.js). */
function testFilesByTier() {
  const listed = spawnSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--listTests', '--json'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`jest --listTests failed: ${listed.stderr}`);
  const tiers = { unit: [], transport: [], system: [], deploy: [] };
  for (const file of JSON.parse(listed.stdout).map((f) => relative(root, f))) {
    const tier = /\.(transport|system|deploy)-spec\.ts$/.exec(file)?.[1] ?? 'unit';
    tiers[tier].push(file);
  }
  const unknown = BESIDE_ALL.filter((file) => !tiers.system.includes(file));
  if (unknown.length > 0) throw new Error(`tools/test/run-tests.js: BESIDE names ${unknown.join(', ')}, which is not a system test`);
  return tiers;
}

async function main() {
  if (jestArgs.length > 0) {
    await jest('jest', jestArgs);
    return;
  }
  const tiers = testFilesByTier();
  const alone = tiers.system.filter((file) => !BESIDE_ALL.includes(file));
  await Promise.all([
    (async () => {
      await check('typecheck (tsc, tests included)', 'typescript/bin/tsc', ['-p', 'tsconfig.check.json']);
      await check('lint (eslint, type-checked, module boundaries)', 'eslint/bin/eslint.js', ['.', '--max-warnings=0']);
      await jest(`unit and transport tiers, ${BESIDE.afterUnitAndTransport.length} system tests`, ['--runTestsByPath', ...tiers.unit, ...tiers.transport, ...BESIDE.afterUnitAndTransport]);
    })(),
    jest(`deploy tier, ${BESIDE.withDeploy.length} system tests`, ['--runTestsByPath', ...tiers.deploy, ...BESIDE.withDeploy], { held: true }),
  ]);
  await jest('system tier, alone', ['--runTestsByPath', ...alone]);
}

/** The slowest test files of this run, for whoever has to keep CI within its budget (before the tally, which stays last). */
function reportSlowest() {
  if (fileSeconds.size < 2) return;
  const slowest = [...fileSeconds].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST_SHOWN);
  console.log(`Slowest test files (wall time, of ${fileSeconds.size}):`);
  for (const [file, seconds] of slowest) console.log(`${seconds.toFixed(1).padStart(8)} s  ${file}`);
}

main()
  .catch((error) => {
    console.error(error);
    failed += 1;
  })
  .finally(() => {
    rmSync(dir, { recursive: true, force: true });
    reportSlowest();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  });
