// One jest project per workspace; tests live in <workspace>/test and run from TypeScript sources.
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
const moduleNameMapper = {
  '^@csp/svc-([a-z-]+)/dist/(.*)$': `${root}/services/$1/src/$2`,
  '^@csp/gateway/dist/(.*)$': `${root}/gateway/src/$1`,
  '^@csp/(kernel|events|testkit|access-client|fixtures)$': `${root}/packages/$1/src/index.ts`,
  '^@csp/kernel/edge$': `${root}/packages/kernel/src/edge.ts`,
  '^@csp/kernel/(runtime|auth|rules)/(.*)$': `${root}/packages/kernel/src/$1/$2`,
};

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
