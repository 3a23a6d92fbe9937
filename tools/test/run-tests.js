#!/usr/bin/env node
// Runs every jest test (unit, then e2e) and ends with one line CI reads: "N passed, N failed".
// Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'mailroom-jest-'));
const results = join(dir, 'results.json');
const args = [
  require.resolve('jest/bin/jest', { paths: [root] }),
  '--json',
  `--outputFile=${results}`,
  // e2e suites start whole stacks of processes; on 2 cores they run best one at a time.
  '--runInBand',
  ...process.argv.slice(2),
];
const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

let passed = 0;
let failed = 0;
try {
  const summary = JSON.parse(readFileSync(results, 'utf8'));
  passed = summary.numPassedTests;
  failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
} catch (error) {
  console.error(`Could not read jest results: ${error.message}`);
  failed = Math.max(failed, 1);
}
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
