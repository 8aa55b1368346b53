/**
 * One Jest run for every package; one Redis and one FerretDB for the whole run (see
 * backend/test/global-setup.cjs). `client` holds the console's pure-logic tests (Node, no DOM);
 * `components` renders each Lit component in Chromium (bundled with esbuild, no server); `e2e`
 * drives the built console in Chromium against an in-process Flightdeck.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }] };
const moduleNameMapper = {
  '^@flightdeck/contract$': '<rootDir>/../contract/src/index.ts',
  '^@flightdeck/workers$': '<rootDir>/../workers/src/index.ts',
  '^@flightdeck/sdk$': '<rootDir>/../sdk/src/index.ts',
};

// A component's own test (components/fd-x/fd-x.test.ts) renders it in Chromium; the rest of client/src is pure logic.
const componentTests = '/src/components/[^/]+/fd-[^/]+\\.test\\.ts$';

module.exports = {
  globalSetup: '<rootDir>/backend/test/global-setup.cjs',
  globalTeardown: '<rootDir>/backend/test/global-teardown.cjs',
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  maxWorkers: 2,
  projects: [
    {
      displayName: 'workers',
      rootDir: 'workers',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    },
    {
      displayName: 'sdk',
      rootDir: 'sdk',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/src/**/*.test.ts'],
    },
    {
      displayName: 'backend',
      rootDir: 'backend',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
    {
      displayName: 'client',
      rootDir: 'client',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      testPathIgnorePatterns: [componentTests],
    },
    {
      displayName: 'components',
      rootDir: 'client',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/src/components/*/fd-*.test.ts'],
    },
    {
      // Offline checks of deploy/ (kustomize, KEDA, compose, scaling numbers).
      displayName: 'deploy',
      rootDir: 'deploy',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
    {
      // The scaling lab's pure logic (the lab itself runs with `npm run lab`).
      displayName: 'lab',
      rootDir: 'lab',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/src/**/*.test.ts'],
    },
    {
      displayName: 'e2e',
      rootDir: 'client',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/e2e/**/*.e2e.test.ts'],
    },
  ],
};
