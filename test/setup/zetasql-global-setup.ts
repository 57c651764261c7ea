import { remoteServerBinary, startZetaSqlServer, ZETASQL_ADDRESS_ENV, type ZetaSqlServer } from "../../local/zetasql";

// One ZetaSQL server for the whole jest run; workers inherit the address through the environment.
// globalTeardown runs in this same process and stops it by PID (managed-process also stops it on exit).
export default async function globalSetup(): Promise<void> {
  try {
    remoteServerBinary();
  } catch (e) {
    // Not fatal for suites that do not need SQL; SQL suites will fail with this message when they start their own.
    console.warn(`ZetaSQL not started for this run: ${(e as Error).message}`);
    return;
  }
  const server = await startZetaSqlServer();
  process.env[ZETASQL_ADDRESS_ENV] = server.address;
  (globalThis as { __zetaSqlServer?: ZetaSqlServer }).__zetaSqlServer = server;
}
