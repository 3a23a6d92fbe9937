import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root (this file is tools/docs/src/repository.ts). */
export const ROOT = join(__dirname, '..', '..', '..');

export const fromRoot = (...parts: string[]) => join(ROOT, ...parts);
export const shown = (path: string) => relative(ROOT, path);

const SKIPPED = new Set(['node_modules', 'dist', 'tmp', 'coverage', '.git', '.nx']);

/** Every file under a folder (recursively), skipping build output and dependencies. */
export function filesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Production TypeScript of a folder: no tests. */
export const sourceFiles = (folder: string) => filesUnder(folder).filter((f) => f.endsWith('.ts') && !/\.(e2e-)?spec\.ts$/.test(f));
