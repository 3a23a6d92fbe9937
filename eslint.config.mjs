// Type-checked lint for the whole workspace, warnings count as errors (`eslint . --max-warnings=0`).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const restrictedEverywhere = [
  { group: ['@nats-io/*'], message: 'NATS stays inside libs/jetstream (use @mailroom/jetstream).' },
  { group: ['nodemailer', 'nodemailer/*'], message: 'nodemailer stays inside libs/mailer (use @mailroom/mailer).' },
  { group: ['prom-client'], message: 'prom-client stays inside libs/observability (use MetricsRegistry).' },
  { group: ['@mailroom/*/src/*', '../../libs/*'], message: 'Import libraries through their alias only (no deep imports).' },
];

/**
 * What of @mailroom/jetstream services may not use: storage is reached through its repositories
 * (one per bucket and stream, each the only code that knows its keys and encoding), never through
 * provisioning, raw buckets or the connection's handles. Most of these are not exported at all;
 * the ones that are exist for the library's own tests.
 */
const jetstreamInternals = {
  name: '@mailroom/jetstream',
  importNames: [
    'STORES',
    'Stores',
    'casUpdate',
    'CasResult',
    'LiveKvMap',
    'LiveKeySet',
    'pageStream',
    'retryWrite',
    'KV',
    'KvEntry',
    'JsMsg',
    'provisionTopology',
    'Provisioned',
    'ProvisioningOptions',
    'ensureStream',
    'ensureDurableConsumer',
    'JetStreamServer',
    'makeAnsweredRequestCancelCheap',
  ],
  message: 'Services reach storage through the repositories of @mailroom/jetstream (NewsletterRecords, DeliveryLedger …), not raw buckets or provisioning.',
};

/** NATS internals spelled out in a service: KV and object-store streams and subjects, the connection's handles. */
const natsInternalsSyntax = [
  {
    selector: 'Literal[value=/(^|[^A-Za-z0-9_])(KV|OBJ)_|\\$(KV|O|JS)\\./]',
    message: 'NATS storage internals (KV_/OBJ_ streams, $KV./$O./$JS. subjects) belong in a repository of @mailroom/jetstream.',
  },
  {
    selector: 'TemplateElement[value.raw=/(^|[^A-Za-z0-9_])(KV|OBJ)_|\\$(KV|O|JS)\\./]',
    message: 'NATS storage internals (KV_/OBJ_ streams, $KV./$O./$JS. subjects) belong in a repository of @mailroom/jetstream.',
  },
  {
    selector: 'MemberExpression[property.name=/^(js|jsm)$/]',
    message: "A JetStream handle in a service: use a repository of @mailroom/jetstream (the connection's handles are not public).",
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/tmp/**', '**/coverage/**', '**/.nx/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            // The benchmark drives the system the way the end-to-end tests do: it reuses their harness.
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: restrictedEverywhere }],
    },
  },
  {
    // Production code never imports the test harness.
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrictedEverywhere, { group: ['@mailroom/testing'], message: 'Test code only.' }] },
      ],
    },
  },
  {
    // Handlers are wired with the typed decorators, which check the payload against the event catalog.
    files: ['services/*/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/microservices',
              importNames: ['EventPattern', 'MessagePattern'],
              message: 'Use @HandlesEvent / @AnswersQuery from @mailroom/jetstream: they check the payload type.',
            },
          ],
        },
      ],
    },
  },
  {
    // Services own their use cases; storage belongs to the repositories (issue 14).
    files: ['services/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...restrictedEverywhere, { group: ['@mailroom/testing'], message: 'Test code only.' }], paths: [jetstreamInternals] },
      ],
      'no-restricted-syntax': ['error', ...natsInternalsSyntax],
    },
  },
  {
    files: ['services/*/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: restrictedEverywhere, paths: [jetstreamInternals] }],
      'no-restricted-syntax': ['error', ...natsInternalsSyntax],
    },
  },
  {
    files: ['libs/jetstream/**/*.ts', 'libs/testing/**/*.ts', '**/test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrictedEverywhere.filter((p) => !p.group[0].startsWith('@nats-io')) }] },
  },
  {
    files: ['libs/mailer/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrictedEverywhere.filter((p) => !p.group[0].startsWith('nodemailer')) }] },
  },
  {
    files: ['libs/observability/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrictedEverywhere.filter((p) => p.group[0] !== 'prom-client') }] },
  },
  {
    // Tests may poke at payloads loosely; the code under test may not. Tests of a library use its
    // public alias (what users import) and the test harness.
    files: ['**/*.spec.ts', '**/*-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
