// One jest run for the whole workspace, in four tiers named by the test file's suffix:
//   unit       `*.spec.ts` beside the code (src/): pure, no network, no processes
//   transport  `test/*.transport-spec.ts`: in-process against a real NATS (or SMTP server)
//   system     `test/*.system-spec.ts`: starts the services as processes (MailroomStack, ServiceProcess)
//   deploy     `deploy/test/*.deploy-spec.ts`: the Kubernetes, Prometheus and Docker files, a fresh clone
// `npm test` runs all four (tools/test/run-tests.js); `npm run test:<tier>` or
// `npm test -- --selectProjects <tier>` one. tools/test/test-tiers.spec.ts checks that every test
// file is in exactly one tier and does what its tier says.
const { realpathSync } = require('node:fs');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['reflect-metadata'],
};

// Regexes on the absolute path (`testRegex`, anchored at this folder), so that the tier test can
// apply them exactly as jest does.
const root = realpathSync(__dirname).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const tier = (displayName, pattern, extra = {}) => ({ ...common, displayName, testRegex: `^${root}/${pattern}$`, ...extra });

module.exports = {
  projects: [
    tier('unit', '(libs|services|tools)/.+\\.spec\\.ts'),
    tier('transport', '(libs|services|tools)/[^/]+/test/.+\\.transport-spec\\.ts'),
    tier('system', '(services|tools)/[^/]+/test/.+\\.system-spec\\.ts', { slowTestThreshold: 60 }),
    tier('deploy', 'deploy/test/.+\\.deploy-spec\\.ts', { slowTestThreshold: 60 }),
  ],
};
