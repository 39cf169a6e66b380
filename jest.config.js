/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  setupFiles: ['reflect-metadata'],
  // Tests that run the server and workers as separate processes use the build in dist/.
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  // Types are checked by `npm run typecheck`; tests only transpile (tsconfig.jest.json sets isolatedModules).
  // Integration tests each start a real server with its own database; two workers match the 2-core machines.
  maxWorkers: process.env.CI ? 2 : '50%',
};
