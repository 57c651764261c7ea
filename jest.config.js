/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // ts-jest transpiles file by file because tsconfig sets isolatedModules; `npm run typecheck` type-checks.
  transform: { "^.+\\.ts$": ["ts-jest", {}] },
  // Emulator / ZetaSQL suites start real processes; give them room on 2 cores.
  testTimeout: 60000,
  maxWorkers: 2,
};
