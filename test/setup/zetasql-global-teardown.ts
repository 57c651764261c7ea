import type { ZetaSqlServer } from "../../local/zetasql";

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __zetaSqlServer?: ZetaSqlServer };
  await holder.__zetaSqlServer?.stop();
  delete holder.__zetaSqlServer;
}
