#!/usr/bin/env node
// `npm test`: the static checks (typecheck, lint: one check each), then every jest test (the unit,
// transport, system and deploy tiers of jest.config.js), and one closing line that CI reads:
// "N passed, N failed". Arguments go to jest and skip the static checks
// (e.g. `npm test -- --selectProjects transport`; `npm run test:<tier>` does that).
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const jestArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;

function node(label, script, args) {
  const started = Date.now();
  // Resolved by path, not through package exports (eslint does not export its bin).
  const run = spawnSync(process.execPath, [join(root, 'node_modules', script), ...args], { cwd: root, stdio: 'inherit' });
  const ok = run.status === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

if (jestArgs.length === 0) {
  for (const [label, script, args] of [
    ['typecheck (tsc, tests included)', 'typescript/bin/tsc', ['-p', 'tsconfig.check.json']],
    ['lint (eslint, type-checked, module boundaries)', 'eslint/bin/eslint.js', ['.', '--max-warnings=0']],
  ]) {
    if (node(label, script, args)) passed += 1;
    else failed += 1;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'mailroom-jest-'));
const results = join(dir, 'results.json');
// System and deploy suites start whole stacks of processes; on 2 cores they run best one at a time.
const run = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${results}`, '--runInBand', ...jestArgs],
  { cwd: root, stdio: 'inherit' },
);
try {
  const summary = JSON.parse(readFileSync(results, 'utf8'));
  passed += summary.numPassedTests;
  failed += summary.numFailedTests + summary.numRuntimeErrorTestSuites;
} catch (error) {
  console.error(`Could not read jest results: ${error.message}`);
  failed += 1;
}
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
