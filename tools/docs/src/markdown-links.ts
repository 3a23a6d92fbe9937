import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchors(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const match of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    slugs.add(
      match[1]!
        .toLowerCase()
        .replace(/`/g, '')
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .trim()
        .replace(/\s/g, '-'),
    );
  }
  return slugs;
}

/** Fenced code blocks blanked out: a `# comment` in a shell example is no heading, a path in it is an example. */
export function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' '));
}

/**
 * Relative links of a Markdown file that do not resolve: a file that does not exist, or a
 * heading (`#anchor`) its target does not have.
 */
export function brokenLinks(file: string, markdown: string, root: string): string[] {
  const broken: string[] = [];
  for (const match of withoutCodeBlocks(markdown).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const resolved = path === '' ? file : join(dirname(file), path);
    if (path !== '' && !existsSync(resolved)) {
      broken.push(`${target}: ${relative(root, resolved)} does not exist`);
      continue;
    }
    const headings = () => headingAnchors(path === '' ? markdown : readFileSync(resolved, 'utf8'));
    if (anchor !== undefined && resolved.endsWith('.md') && !headings().has(anchor.toLowerCase())) {
      broken.push(`${target}: ${relative(root, resolved)} has no heading #${anchor}`);
    }
  }
  return broken;
}

/** Code extensions a named repository file ends with. */
const FILE = String.raw`[\w.-]+(?:\/[\w.-]+)*\.(?:md|ya?ml|json|conf|proto|ts|js|mjs)`;

/** Build output and dependencies: named in the docs, never in the repository. */
const NOT_IN_REPOSITORY = /^(dist|tmp|node_modules)\//;

/**
 * Repository paths a Markdown file names outside links and code blocks that do not exist: file
 * paths (`deploy/README.md`, `src/http/api-errors.ts`), folders written in code with a trailing
 * slash (`src/lists/`), and file names in code (`line-splitter.ts`). A path is looked up in each
 * of `bases` (the file's folder, the repository root…), a bare name among `knownFileNames`.
 * Placeholders (`<id>`, `*`), URLs and build output (`dist/`) are not paths.
 */
export function missingPaths(markdown: string, options: { bases: readonly string[]; knownFileNames: ReadonlySet<string> }): string[] {
  const text = withoutCodeBlocks(markdown)
    .replace(/\[[^\]]*\]\([^)]*\)/g, (link) => link.replace(/\([^)]*\)$/, ''))
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ');
  const missing = new Set<string>();
  const exists = (path: string) => options.bases.some((base) => existsSync(join(base, path)));
  for (const match of text.matchAll(new RegExp(String.raw`(?<![\w./:@<>*$~{-])${FILE}(?![\w/<>*{-])`, 'g'))) {
    const path = match[0];
    if (path.includes('/') && !NOT_IN_REPOSITORY.test(path) && !exists(path)) missing.add(path);
  }
  // A bare name only in code: `Node.js` in prose is no file.
  for (const match of text.matchAll(new RegExp(String.raw`\`(${FILE})\``, 'g'))) {
    const name = match[1]!;
    if (!name.includes('/') && !options.knownFileNames.has(name)) missing.add(name);
  }
  for (const match of text.matchAll(/`((?:[\w.-]+\/)+)`/g)) {
    const folder = match[1]!;
    if (!NOT_IN_REPOSITORY.test(folder) && !exists(folder)) missing.add(folder);
  }
  return [...missing];
}
