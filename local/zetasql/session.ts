import { startZetaSqlServer, type ZetaSqlServer } from "./server";
import type { ZetaSqlOptions } from "./evaluation-types";
import { ZetaSql } from "./zetasql";

/** Env var holding host:port of a ZetaSQL server already running (set by the jest globalSetup). */
export const ZETASQL_ADDRESS_ENV = "STREAMLINE_ZETASQL_ADDRESS";

/** A connected ZetaSql; close() disconnects and stops the server only if this session started it. */
export interface ZetaSqlSession extends ZetaSql {
  readonly address: string;
  /** The server this session started, or undefined when it joined a shared one. */
  readonly ownServer?: ZetaSqlServer;
  close(): Promise<void>;
}

/**
 * Joins the shared server named by $STREAMLINE_ZETASQL_ADDRESS (one per jest run), or starts a
 * private one on a free loopback port when run alone (a single test file, the CLI, the bench).
 */
export async function startZetaSql(opts: ZetaSqlOptions & { address?: string } = {}): Promise<ZetaSqlSession> {
  const shared = opts.address ?? process.env[ZETASQL_ADDRESS_ENV];
  const ownServer = shared ? undefined : await startZetaSqlServer();
  const address = shared ?? ownServer!.address;
  let zetasql: ZetaSql;
  try {
    zetasql = await ZetaSql.connect(address, opts);
  } catch (e) {
    await ownServer?.stop();
    throw e;
  }
  const disconnect = zetasql.close.bind(zetasql);
  return Object.assign(zetasql, {
    address,
    ownServer,
    async close() {
      disconnect();
      await ownServer?.stop();
    },
  }) as ZetaSqlSession;
}
