import { readRepoFile } from './paths';

interface Rule {
  readonly negate: boolean;
  readonly pattern: RegExp;
  readonly text: string;
}

/**
 * .dockerignore as Docker applies it (moby/patternmatcher): `*` and `?` stay within a path
 * segment, `**` spans segments, a pattern that matches a parent directory matches everything in it,
 * `!` re-includes, and the last matching line wins.
 */
export function dockerignore(text = readRepoFile('.dockerignore')): (path: string) => boolean {
  const rules: Rule[] = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const body = (negate ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, pattern: toRegExp(body), text: line };
    });
  return (path: string) => {
    const parts = path.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (candidates.some((c) => rule.pattern.test(c))) excluded = !rule.negate;
    }
    return excluded;
  };
}

function toRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
