/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // ts-jest transpiles file by file because tsconfig sets isolatedModules; `npm run typecheck` type-checks.
  transform: { "^.+\\.ts$": ["ts-jest", {}] },
  // Emulator / ZetaSQL suites start real processes; give them room on 2 cores.
  testTimeout: 60000,
  // One ZetaSQL server per run (address in $STREAMLINE_ZETASQL_ADDRESS), stopped by PID at the end.
  globalSetup: "<rootDir>/test/setup/zetasql-global-setup.ts",
  globalTeardown: "<rootDir>/test/setup/zetasql-global-teardown.ts",
  maxWorkers: 2,
};
