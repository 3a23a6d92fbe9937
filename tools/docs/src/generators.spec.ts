import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonVariablesTable, serviceVariablesTable } from './config-tables';
import { docOf, readDeclaredClasses } from './env-doc-comments';
import { shownDefault, type EnvVariable } from './env-reference';
import { readSection, sectionMarkers, writeSection } from './generated-sections';
import { readMetricDeclarations } from './metric-declarations';
import { firstSentence } from './service-table';

describe('generated sections', () => {
  const file = `# Title\n\nbefore\n\n${sectionMarkers('table')}\n\nafter\n`;

  it('replaces only what is between the markers, and reads it back', () => {
    const written = writeSection(file, 'table', '| a |\n| - |');
    expect(readSection(written, 'table')).toBe('| a |\n| - |');
    expect(written.startsWith('# Title\n\nbefore\n\n<!-- generated: table')).toBe(true);
    expect(written.endsWith('<!-- end of generated: table -->\n\nafter\n')).toBe(true);
    expect(writeSection(written, 'table', '| a |\n| - |')).toBe(written);
  });

  it('says how to add a section that is missing', () => {
    expect(readSection(file, 'other')).toBeUndefined();
    expect(() => writeSection(file, 'other', 'x')).toThrow(/add the line\n<!-- generated: other/);
  });
});

describe('env reference', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'env-docs-'));
    writeFileSync(
      join(dir, 'envs.ts'),
      [
        'export class BaseEnv {',
        '  /** Where NATS is. */',
        '  @IsString()',
        "  NATS_URL = 'nats://x';",
        '  /**',
        '   * The port,',
        '   * on two lines.',
        '   */',
        '  HTTP_PORT = 0;',
        '}',
        'export class AppEnv extends BaseEnv {',
        '  override HTTP_PORT = 3000;',
        '  UNDOCUMENTED = 1;',
        '}',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a doc comment from the class, or from its base for an override without one', () => {
    const classes = readDeclaredClasses([join(dir, 'envs.ts')]);
    expect(docOf(classes, 'AppEnv', 'NATS_URL')).toBe('Where NATS is.');
    expect(docOf(classes, 'AppEnv', 'HTTP_PORT')).toBe('The port, on two lines.');
    expect(docOf(classes, 'AppEnv', 'UNDOCUMENTED')).toBeUndefined();
  });

  it.each([
    ['X', undefined, 'unset'],
    ['X', '', 'empty'],
    ['X', 'info', '`info`'],
    ['X_MS', 25_000, '`25000` (25 s)'],
    ['X_MS', 600_000, '`600000` (10 min)'],
    ['X_MS', 3_600_000, '`3600000` (1 h)'],
    ['X_MS', 500, '`500`'],
    ['X_BYTES', 10 * 1024 * 1024, '`10485760` (10 MiB)'],
    ['X', false, '`false`'],
  ])('shows %s = %p as %s', (name, value, shown) => {
    expect(shownDefault(name, value)).toBe(shown);
  });

  it('lists a variable every service reads once, with each default when they differ, and the rest per service', () => {
    const variables: EnvVariable[] = [
      {
        name: 'HTTP_PORT',
        services: ['a', 'b'],
        defaults: new Map([['a', '`1`'], ['b', '`2`']]),
        positions: new Map([['a', 0], ['b', 0]]),
        description: 'Port | of it.',
      },
      { name: 'ONLY_B', services: ['b'], defaults: new Map([['b', 'required']]), positions: new Map([['b', 1]]), description: 'B only.' },
    ];
    expect(commonVariablesTable(variables, ['a', 'b'])).toBe(
      '| variable | default | meaning |\n| --- | --- | --- |\n| `HTTP_PORT` | a `1`, b `2` | Port \\| of it. |',
    );
    expect(serviceVariablesTable(variables, ['a', 'b'], 'b')).toBe('| variable | default | meaning |\n| --- | --- | --- |\n| `ONLY_B` | required | B only. |');
  });
});

describe('metric declarations', () => {
  it('reads name, labels and help of each metric, concatenated help included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrics-'));
    try {
      writeFileSync(
        join(dir, 'm.ts'),
        "metrics.counter({ name: 'mailroom_b_total', help: 'Bees ' + 'counted', labelNames: ['kind'] });\n" +
          "metrics.gauge({ name: 'mailroom_a', help: `A gauge` });\nconst other = { name: 'not_ours', help: 'x' };\n",
      );
      expect(readMetricDeclarations([join(dir, 'm.ts')])).toEqual([
        { name: 'mailroom_a', help: 'A gauge', labels: [] },
        { name: 'mailroom_b_total', help: 'Bees counted', labels: ['kind'] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('firstSentence', () => {
  it.each([
    ['# svc\n\nDoes one thing. Then more.\n\nNext paragraph.', 'Does one thing.'],
    ['# svc\n\nRuns `a.b.c` on\ntwo lines. More.', 'Runs `a.b.c` on two lines.'],
  ])('of %p is %p', (markdown, sentence) => {
    expect(firstSentence(markdown)).toBe(sentence);
  });
});
