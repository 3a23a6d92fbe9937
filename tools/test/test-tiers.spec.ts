import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

/**
 * The four test tiers of jest.config.js, named by suffix. Every test file must be in exactly one
 * tier (a file in none never runs: e.g. an `*.e2e-spec.ts` from before the tiers), and must do
 * what its tier says, judged by what it uses.
 */
interface Tier {
  readonly displayName: string;
  readonly testRegex: string;
}

const root = realpathSync(join(__dirname, '..', '..'));
const { projects } = createRequire(__filename)('../../jest.config.js') as { projects: readonly Tier[] };

/** Anything jest or a reader would take for a test file. */
const LOOKS_LIKE_A_TEST = /[.-](spec|test)\.[cm]?[jt]sx?$/;
const STARTS_PROCESSES = /\b(MailroomStack|ServiceProcess|NatsServerProcess)\b|node:child_process/;
const REAL_PEER = /\bTEST_NATS_URL\b|@nats-io\/transport-node|\bSmtpSink\b|smtp-server/;
const NETWORK = /\b(TEST_NATS_URL|uniqueNamespace|SmtpSink)\b|@nats-io\/transport-node|smtp-server|node:net'/;

/** What each tier may and must use. */
const RULES: Record<string, (source: string) => string | null> = {
  unit: (s) => (STARTS_PROCESSES.test(s) || NETWORK.test(s) ? 'a unit test is pure: no NATS, SMTP server or process' : null),
  transport: (s) =>
    STARTS_PROCESSES.test(s)
      ? 'starts processes: make it a *.system-spec.ts'
      : REAL_PEER.test(s)
        ? null
        : 'talks to no real NATS or SMTP server: make it a unit *.spec.ts',
  system: (s) => (STARTS_PROCESSES.test(s) ? null : 'starts no process: make it a *.transport-spec.ts'),
  deploy: () => null,
};

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return LOOKS_LIKE_A_TEST.test(entry.name) ? [path] : [];
  });
}

const files = ['libs', 'services', 'tools', 'deploy'].flatMap((top) => testFiles(join(root, top)));
const tiersOf = (file: string) => projects.filter((p) => new RegExp(p.testRegex).test(file)).map((p) => p.displayName);

describe('test tiers (jest.config.js)', () => {
  it('are unit, transport, system and deploy, each with a rule', () => {
    expect(projects.map((p) => p.displayName).sort()).toEqual(Object.keys(RULES).sort());
  });

  it('put every test file in exactly one tier', () => {
    expect(files.length).toBeGreaterThan(100);
    const misplaced = files
      .map((file) => ({ file: relative(root, file), tiers: tiersOf(file) }))
      .filter(({ tiers }) => tiers.length !== 1)
      .map(({ file, tiers }) =>
        tiers.length === 0
          ? `${file}: in no tier (src/*.spec.ts, test/*.transport-spec.ts, test/*.system-spec.ts or deploy/test/*.deploy-spec.ts)`
          : `${file}: in ${tiers.join(' and ')}`,
      );
    expect(misplaced).toEqual([]);
  });

  it('keep each test file to what its tier does', () => {
    // This file names what it looks for, so it is left out.
    const wrong = files.filter((file) => file !== realpathSync(__filename)).flatMap((file) => {
      const [tier] = tiersOf(file);
      const problem = tier ? RULES[tier]?.(readFileSync(file, 'utf8')) : null;
      return problem ? [`${relative(root, file)} (${tier}): ${problem}`] : [];
    });
    expect(wrong).toEqual([]);
  });

  it('find the test files that break the rules', () => {
    expect(tiersOf(join(root, 'services/gateway/test/pipeline.e2e-spec.ts'))).toEqual([]);
    expect(RULES['transport']!("import { MailroomStack } from '@mailroom/testing';")).toMatch(/system-spec/);
    expect(RULES['system']!("import { TEST_NATS_URL } from '@mailroom/testing';")).toMatch(/transport-spec/);
    expect(RULES['unit']!("import { connect } from '@nats-io/transport-node';")).toMatch(/pure/);
  });
});
