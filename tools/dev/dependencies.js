// Whether node_modules holds what package-lock.json asks for, and installing it when not.
// Node built-ins only: this runs before anything is installed.
const { spawnSync } = require('node:child_process');
const { existsSync, lstatSync, readFileSync, realpathSync } = require('node:fs');
const { join } = require('node:path');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Compares the lock file with npm's record of the last install (node_modules/.package-lock.json,
 * which npm writes after every install). Up to date when every package the lock names is installed
 * at the locked version and source, and nothing else is: optional packages for other platforms
 * (nx's binaries for macOS, Windows…) are never installed and do not count.
 * Returns null when up to date, else why not (one line, for the user).
 */
function staleReason(root) {
  const modules = join(root, 'node_modules');
  if (!existsSync(modules)) return 'node_modules is missing';
  const installedFile = join(modules, '.package-lock.json');
  if (!existsSync(installedFile)) return 'node_modules has no record of an npm install (node_modules/.package-lock.json)';
  const locked = readJson(join(root, 'package-lock.json')).packages ?? {};
  const installed = readJson(installedFile).packages ?? {};
  const differences = [];
  for (const [path, wanted] of Object.entries(locked)) {
    if (path === '') continue;
    const have = installed[path];
    if (!have) {
      if (!wanted.optional) differences.push(`${path} is not installed`);
    } else if (!samePackage(have, wanted)) {
      differences.push(`${path} is ${have.version ?? have.resolved}, the lock wants ${wanted.version ?? wanted.resolved}`);
    } else if (!wanted.link && !existsSync(join(root, path))) {
      differences.push(`${path} was deleted`);
    }
  }
  for (const path of Object.keys(installed)) {
    if (!(path in locked)) differences.push(`${path} is installed but no longer in the lock`);
  }
  if (differences.length === 0) return null;
  const more = differences.length > 1 ? ` (and ${differences.length - 1} more)` : '';
  return `node_modules is out of date with package-lock.json: ${differences[0]}${more}`;
}

function samePackage(a, b) {
  return a.version === b.version && a.resolved === b.resolved && a.integrity === b.integrity && Boolean(a.link) === Boolean(b.link);
}

/** `npm ci`: a clean install of exactly the lock. Throws when npm fails. */
function installFromLock(root) {
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // npm ci deletes node_modules first: through a link it would wipe a tree other checkouts share.
    throw new Error(`node_modules links to ${realpathSync(modules)}; run npm ci in the checkout that owns it`);
  }
  // Under `npm start` npm_execpath is the npm that runs us; otherwise the one on PATH.
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && npmCli.endsWith('.js')
      ? [process.execPath, [npmCli, 'ci', '--no-audit', '--no-fund']]
      : [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund']];
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (run.status !== 0) throw new Error(`npm ci failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`);
}

module.exports = { staleReason, installFromLock };
