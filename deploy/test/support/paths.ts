import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The workspace root (deploy/test/support/ is three levels down). */
export const ROOT = join(__dirname, '..', '..', '..');

export const fromRoot = (...parts: string[]): string => join(ROOT, ...parts);

/** A path as the failure messages show it: relative to the repository root. */
export const shown = (path: string): string => relative(ROOT, path) || '.';

export function readRepoFile(...parts: string[]): string {
  const path = fromRoot(...parts);
  if (!existsSync(path)) throw new Error(`${shown(path)} is missing`);
  return readFileSync(path, 'utf8');
}
