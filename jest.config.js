/** One Jest run for backend and workers; one Redis and one FerretDB for the whole run (see backend/test/global-setup.cjs). */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }] };
const moduleNameMapper = {
  '^@flightdeck/contract$': '<rootDir>/../contract/src/index.ts',
  '^@flightdeck/workers$': '<rootDir>/../workers/src/index.ts',
};

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
      displayName: 'backend',
      rootDir: 'backend',
      testEnvironment: 'node',
      transform,
      moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  ],
};
