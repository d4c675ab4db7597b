// One jest project per workspace; tests live in <workspace>/test and run from TypeScript sources.
const { entryPoints } = require('./infra/scripts/test-paths');
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const root = __dirname;
// Tests run from sources: each workspace's declared entry points (package.json "exports") map to
// the TypeScript file behind them, so a test imports only what a package declares
// (infra/scripts/test-paths.js owns the list; tsconfig.test.json's paths are written from it).
const escape = (s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
const moduleNameMapper = Object.fromEntries(
  entryPoints().map(([name, source]) => [`^${escape(name).replace('*', '(.*)')}$`, `${root}/${source.replace('*', '$1')}`]),
);

const project = (dir) => ({
  displayName: path.basename(dir) === 'main' ? 'root' : dir,
  rootDir: path.join(root, dir),
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testEnvironment: 'node',
  // jose 6 ships ESM only; Node 20 can require() it but jest cannot, so swc transforms it too.
  transform: { '^.+\\.ts$': swc, '^.+/node_modules/jose/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper,
  setupFiles: [`${root}/packages/testkit/src/jest-setup.ts`],
});

module.exports = {
  testTimeout: 60_000,
  projects: [
    'packages/kernel',
    'packages/events',
    'packages/fixtures',
    'gateway',
    'services/identity',
    'services/catalog',
    'services/subscription',
    'services/access-control',
    'services/billing',
    'services/support',
    'infra',
  ].map(project),
};
