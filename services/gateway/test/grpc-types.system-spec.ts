import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PROTO_FILES, PROTO_LOADER_OPTIONS } from '../src/grpc/grpc-server.options';

const ROOT = join(__dirname, '..', '..', '..');
const GENERATED = join(ROOT, 'services', 'gateway', 'src', 'grpc', 'generated');
const GENERATOR = join(ROOT, 'node_modules', '@grpc', 'proto-loader', 'build', 'bin', 'proto-loader-gen-types.js');
const REGENERATE = 'npx nx run gateway:grpc-types';

interface ProjectJson {
  readonly targets: Record<string, { readonly options: { readonly command: string } }>;
}

/** The generator's arguments, as the gateway's `grpc-types` target runs them. */
function generatorArgs(): string[] {
  const project = JSON.parse(readFileSync(join(ROOT, 'services', 'gateway', 'project.json'), 'utf8')) as ProjectJson;
  const command = project.targets['grpc-types']!.options.command;
  return command.slice(command.indexOf('proto-loader-gen-types ') + 'proto-loader-gen-types '.length).split(/\s+/);
}

/** Every file under a folder, by relative path, with its content. */
function filesUnder(dir: string): Record<string, string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(
    entries.map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [relative(dir, path), readFileSync(path, 'utf8')];
    }),
  );
}

describe(`gRPC types in generated/ (regenerate: ${REGENERATE})`, () => {
  let fresh: string;

  beforeAll(() => {
    fresh = mkdtempSync(join(tmpdir(), 'grpc-types-'));
    const args = generatorArgs();
    args[args.indexOf('-O') + 1] = fresh;
    execFileSync(process.execPath, [GENERATOR, ...args], { cwd: ROOT, stdio: 'pipe' });
  });

  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('are what the generator makes of the .proto files now', () => {
    expect(filesUnder(GENERATED)).toEqual(filesUnder(fresh));
  });

  it('cover the .proto files the server loads', () => {
    const protos = generatorArgs().filter((arg) => arg.endsWith('.proto'));
    expect(protos.sort()).toEqual([...PROTO_FILES].sort());
  });

  it('are generated with the options the server loads messages with', () => {
    const options = PROTO_LOADER_OPTIONS;
    const switches = (['keepCase', 'defaults', 'arrays', 'oneofs'] as const).filter((name) => options[name]).map((name) => `--${name}`);
    const expected = [`--longs=${options.longs.name}`, `--enums=${options.enums.name}`, ...switches];
    const used = generatorArgs().filter((arg) => /^--(keepCase|longs|enums|defaults|arrays|oneofs)\b/.test(arg));
    expect(used.sort()).toEqual(expected.sort());
  });
});
