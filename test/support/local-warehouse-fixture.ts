import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWarehouse } from "../../local/warehouse/local-warehouse";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";

/** What a test gets: the file's ZetaSQL server and an empty local warehouse in its own temp folder. */
export interface WarehouseUnderTest {
  zetasql: ZetaSqlSession;
  stateDir: string;
  warehouse: LocalWarehouse;
}

type Setup = (w: WarehouseUnderTest) => void | Promise<void>;

/**
 * One ZetaSQL server for the test file (each takes seconds to start) and, before each test, a new
 * warehouse handed to `setup` to keep and fill; its folder is removed after the test.
 */
export function freshWarehouseEachTest(tempPrefix: string, setup: Setup): void {
  warehouseBetween(beforeEach, afterEach, tempPrefix, setup);
}

/** The same with one warehouse for the whole file, filled once before its first test. */
export function oneWarehousePerFile(tempPrefix: string, setup: Setup): void {
  warehouseBetween(beforeAll, afterAll, tempPrefix, setup);
}

function warehouseBetween(before: typeof beforeAll, after: typeof afterAll, tempPrefix: string, setup: Setup): void {
  const zetasql = zetasqlForFile();
  let stateDir: string | undefined;
  before(async () => {
    const w = openWarehouse(tempPrefix, zetasql());
    stateDir = w.stateDir;
    await setup(w);
  });
  after(() => {
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
}

function zetasqlForFile(): () => ZetaSqlSession {
  let session: ZetaSqlSession | undefined;
  beforeAll(async () => {
    session = await startZetaSql();
  });
  afterAll(async () => {
    await session?.close();
  });
  return () => {
    if (!session) throw new Error("ZetaSQL did not start for this test file");
    return session;
  };
}

function openWarehouse(tempPrefix: string, zetasql: ZetaSqlSession): WarehouseUnderTest {
  const stateDir = mkdtempSync(join(tmpdir(), tempPrefix));
  return { zetasql, stateDir, warehouse: new LocalWarehouse({ stateDir, zetasql }) };
}
