/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  // Emulator / ZetaSQL suites start real processes; give them room on 2 cores.
  testTimeout: 60000,
  maxWorkers: 2,
};
