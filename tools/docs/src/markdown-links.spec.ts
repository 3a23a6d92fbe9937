import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { brokenLinks, headingAnchors, missingPaths, withoutCodeBlocks } from './markdown-links';
import { filesUnder, fromRoot, ROOT, shown } from './repository';

/**
 * The documentation against the repository: in the README, docs/ and every service's and
 * library's README, each relative link resolves (file and heading), and each repository path the
 * text names exists. (deploy/README.md has its own, stricter check in deploy/test.)
 */
const folders = (parent: string) => readdirSync(fromRoot(parent), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const DOCS = [
  fromRoot('README.md'),
  ...filesUnder(fromRoot('docs')).filter((f) => f.endsWith('.md')),
  ...folders('services').map((s) => fromRoot('services', s, 'README.md')),
  ...folders('libs').map((l) => fromRoot('libs', l, 'README.md')),
].filter((f) => existsSync(f));

const knownFileNames = new Set(filesUnder(ROOT).map((f) => basename(f)));

/** A path in a service's or library's README may be meant from its folder, its src/ or the repository root. */
const basesOf = (file: string) => [dirname(file), join(dirname(file), 'src'), ROOT];

describe.each(DOCS.map((file) => [shown(file), file] as const))('%s', (_, file) => {
  const markdown = readFileSync(file, 'utf8');

  it('links only to files and headings that exist', () => {
    expect(brokenLinks(file, markdown, ROOT)).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    expect(missingPaths(markdown, { bases: basesOf(file), knownFileNames })).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('finds a missing file, a missing heading and a missing named path, and ignores placeholders and code blocks', () => {
    const file = fromRoot('docs', 'example.md');
    const markdown = [
      '# Title',
      '[ok](../README.md) [gone](nothing-here.md) [anchor](#title) [bad anchor](#nope) [web](https://example.org/x.md)',
      'See `deploy/README.md`, `deploy/nowhere.yml`, `tools/`, `tools/missing/`, `not-a-file-anywhere.ts`,',
      '`newsletters/<id>/request.json`, `*.spec.ts`, `dist/services/<name>/main.js`, `dist/`, Node.js.',
      '```sh',
      'cat deploy/also-missing.yml   # [inside](a-code-block.md)',
      '```',
    ].join('\n');
    expect(brokenLinks(file, markdown, ROOT)).toEqual(['nothing-here.md: docs/nothing-here.md does not exist', '#nope: docs/example.md has no heading #nope']);
    expect(missingPaths(markdown, { bases: [ROOT], knownFileNames }).sort()).toEqual(['deploy/nowhere.yml', 'not-a-file-anywhere.ts', 'tools/missing/']);
  });

  it('makes the anchors GitHub makes, and none from a comment in a code block', () => {
    const anchors = headingAnchors('## Retries, outages and the maximum age\n### `SMTP_URL` & friends\n```sh\n# not a heading\n```\n');
    expect([...anchors]).toEqual(['retries-outages-and-the-maximum-age', 'smtp_url--friends']);
    expect(withoutCodeBlocks('a\n```\nb\n```\nc')).toBe('a\n   \n \n   \nc');
  });
});
