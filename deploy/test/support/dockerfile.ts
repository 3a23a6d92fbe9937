import { readRepoFile } from './paths';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly name: string | undefined;
  /** The image or the earlier stage it starts FROM. */
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly args: Readonly<Record<string, string>>;
  readonly stages: readonly Stage[];
}

/** Parses the repository's Dockerfile: line continuations joined, comments dropped, stages split. */
export function parseDockerfile(text = readRepoFile('Dockerfile')): Dockerfile {
  const logical: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      line = `${line.trimEnd().slice(0, -1)} ${/^\s*#/.test(next) ? '' : next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: not an instruction: ${line}`);
    logical.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start + 1 });
  }
  const args: Record<string, string> = {};
  const stages: { name: string | undefined; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of logical) {
    if (instruction.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!m) throw new Error(`Dockerfile line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ name: m[2], from: substitute(m[1]!, args), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        const [name, value] = instruction.args.split('=');
        args[name!] = value ?? '';
      }
    } else {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return { args, stages };
}

const substitute = (text: string, args: Readonly<Record<string, string>>) =>
  text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args[name] ?? '');

export function stage(dockerfile: Dockerfile, name: string): Stage | undefined {
  return dockerfile.stages.find((s) => s.name === name);
}

/** The stage and every stage it is built FROM, nearest first. */
export function lineage(dockerfile: Dockerfile, name: string): Stage[] {
  const chain: Stage[] = [];
  let current = stage(dockerfile, name);
  while (current) {
    chain.push(current);
    current = stage(dockerfile, current.from);
  }
  return chain;
}

/** The last value of an instruction along a stage's lineage (what the image ends up with). */
export function effective(dockerfile: Dockerfile, name: string, keyword: string): Instruction | undefined {
  for (const s of lineage(dockerfile, name)) {
    const found = [...s.instructions].reverse().find((i) => i.keyword === keyword);
    if (found) return found;
  }
  return undefined;
}

/** ENV of a stage, parents first (`ENV A=1 B=2` and `ENV A 1` forms). */
export function effectiveEnv(dockerfile: Dockerfile, name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of lineage(dockerfile, name).reverse()) {
    for (const i of s.instructions.filter((x) => x.keyword === 'ENV')) {
      if (/^\S+=/.test(i.args)) {
        for (const m of i.args.matchAll(/(\S+?)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
      } else {
        const [k, ...v] = i.args.split(/\s+/);
        env[k!] = v.join(' ');
      }
    }
  }
  return env;
}

/** The JSON (exec) form of CMD/ENTRYPOINT/HEALTHCHECK CMD as argv; throws on the shell form. */
export function execForm(text: string, where: string): string[] {
  try {
    const argv: unknown = JSON.parse(text);
    if (Array.isArray(argv) && argv.every((a): a is string => typeof a === 'string')) return argv;
  } catch {
    // fall through
  }
  throw new Error(`${where} is not in exec (JSON array) form: ${text}`);
}

/** HEALTHCHECK options and command. */
export function healthcheck(instruction: Instruction): { options: Record<string, string>; argv: string[] } {
  const options: Record<string, string> = {};
  let rest = instruction.args;
  for (let m = /^--([a-z-]+)=(\S+)\s+/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    options[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  const cmd = /^CMD\s+(.*)$/.exec(rest);
  if (!cmd) throw new Error(`Dockerfile line ${instruction.line}: HEALTHCHECK without CMD`);
  return { options, argv: execForm(cmd[1]!, `HEALTHCHECK on line ${instruction.line}`) };
}
