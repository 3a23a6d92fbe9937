import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromRoot, readRepoFile, shown } from './support/paths';
import { ruleFiles, ruleGroups } from './support/promql';

/**
 * deploy/README.md against the repository: every relative link resolves (file and, for a
 * Markdown file, the heading it points at), every file path it names exists, and every alert of
 * the rules is described in its Monitoring section.
 */
const README = fromRoot('deploy', 'README.md');
const readme = readRepoFile('deploy', 'README.md');
/** Where the README's bare paths are meant from: the repository root, deploy/ or deploy/k8s/. */
const BASES = [fromRoot(), fromRoot('deploy'), fromRoot('deploy', 'k8s')];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
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

describe('deploy/README.md', () => {
  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const match of readme.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? README : join(dirname(README), path);
      if (!existsSync(file)) {
        broken.push(`${target}: ${shown(file)} does not exist`);
        continue;
      }
      if (anchor !== undefined && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor.toLowerCase())) {
        broken.push(`${target}: ${shown(file)} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only files that exist in the repository', () => {
    const text = readme.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ');
    const missing: string[] = [];
    for (const match of text.matchAll(/(?<![\w./:@-])[\w.-]+(?:\/[\w.-]+)+\.(?:md|ya?ml|json|conf|ts|js)\b/g)) {
      const path = match[0];
      if (!BASES.some((base) => existsSync(join(base, path)))) missing.push(`${path} (looked in ${BASES.map((b) => shown(b)).join(', ')})`);
    }
    expect(missing).toEqual([]);
  });

  it('describes every alert of deploy/prometheus/rules in its Monitoring section', () => {
    const monitoring = /^## Monitoring\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    const alerts = [...new Set(ruleFiles().flatMap((f) => ruleGroups(f).flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])))))];
    expect(alerts.filter((a) => !monitoring.includes(`\`${a}\``))).toEqual([]);
  });
});
