#!/usr/bin/env node
// `npx mailroom …`: the CLI built by `npm run build` (dist/tools/cli/main.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', '..', '..', 'dist', 'tools', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('The Mailroom CLI is not built yet: run `npm run build` first.\n');
  process.exit(1);
}
require(main);
