// NestJS 12 ships ES modules only, so Jest runs in ESM mode (see shared/toolchain.md).
const typescript = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
/** One Postgres server for a run, shared by the lanes that need one (see test/support/global-setup.ts). */
const withPostgres = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/**
 * Three lanes (`npm test` runs them all):
 * - unit: specs beside the code under src/; no database, no build;
 * - e2e: test/**, the app in-process on a real Postgres with the simulator;
 * - slow: test/**\/*.slow.spec.ts, spawned gateway processes, crashes, outages, large exports,
 *   throughput and the browser (they run the built dist/).
 */
export default {
  testTimeout: 60000,
  projects: [
    { ...typescript, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...typescript,
      ...withPostgres,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.slow\\.spec\\.ts$'],
    },
    { ...typescript, ...withPostgres, displayName: 'slow', testMatch: ['<rootDir>/test/**/*.slow.spec.ts'] },
  ],
};
