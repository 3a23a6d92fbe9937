#!/usr/bin/env node
// First step of `npm start` and `npm test`: install the dependencies when node_modules is missing
// or out of date with package-lock.json (npm ci), then build (unless --no-build; `--services`: only
// the projects tagged type:service, what `npm start` runs, not the bench and CLI tools). Node
// built-ins only and no `nx` from PATH: on a fresh clone nothing is installed yet.
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { installFromLock, staleReason } = require('./dependencies');

const root = join(__dirname, '..', '..');
const log = (message) => process.stdout.write(`[mailroom] ${message}\n`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

function ensureDependencies() {
  const reason = staleReason(root);
  if (!reason) return log('Dependencies are up to date with package-lock.json');
  log(`${reason}: installing from package-lock.json (npm ci, about a minute with a warm npm cache)…`);
  const started = Date.now();
  installFromLock(root);
  log(`Dependencies installed in ${seconds(started)}`);
}

function build(servicesOnly) {
  const what = servicesOnly ? 'the services' : 'the services and tools';
  log(`Building ${what} (nx run-many -t build; unchanged projects come from the nx cache)…`);
  const started = Date.now();
  const nxPackage = join(root, 'node_modules', 'nx');
  const nx = join(nxPackage, JSON.parse(readFileSync(join(nxPackage, 'package.json'), 'utf8')).bin.nx);
  const only = servicesOnly ? ['--projects=tag:type:service'] : [];
  const run = spawnSync(process.execPath, [nx, 'run-many', '-t', 'build', ...only, '--outputStyle=static'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`the build failed (exit ${run.status ?? run.signal})`);
  log(`Built in ${seconds(started)}`);
}

try {
  ensureDependencies();
  if (!process.argv.includes('--no-build')) build(process.argv.includes('--services'));
} catch (error) {
  log(`Stopped: ${error.message}`);
  process.exit(1);
}
