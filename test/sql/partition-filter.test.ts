import { join } from "node:path";
import { startZetaSql, type ZetaSqlSession } from "../../local/zetasql";
import { partitionColumns, unfilteredPartitionScans, viewPartitionColumn } from "../../local/zetasql/partition-filter";
import { listSqlFiles } from "../../local/zetasql/sql-files";

// Views are exempt: they are filtered by the queries that read them (the proof covers those).
const files = listSqlFiles(join(__dirname, "..", "..", "sql")).filter((f) => !f.view);

let zs: ZetaSqlSession;
let partitions: Map<string, string>;
beforeAll(async () => {
  zs = await startZetaSql();
  partitions = await partitionColumns(zs);
});
afterAll(async () => {
  await zs?.close();
});

const unfiltered = async (sql: string, params: Record<string, "DATE" | "INT64" | "STRING"> = {}) =>
  unfilteredPartitionScans(await zs.analyze(sql, { params }), partitions);

describe("partition filters, proven from the resolved AST", () => {
  it("knows the partition column of each partitioned table and of the dedup view", () => {
    expect(partitions.get("ledger.orders")).toBe("order_date");
    expect(partitions.get("curated.commerce_events")).toBe("event_date");
    expect(partitions.get("curated.commerce_events_dedup")).toBe("event_date");
    expect(partitions.has("ref.stores")).toBe(false);
  });

  const cases = files.map((f) => [f.path, f] as const);
  if (cases.length > 0) {
    it.each(cases)("%s filters every partitioned table it scans on its partition column", async (_path, file) => {
      expect(unfilteredPartitionScans(await zs.analyze(file.sql, { params: file.params }), partitions)).toEqual([]);
    });
  }

  describe("which views a reader's day filter prunes, from the view's own AST", () => {
    const asView = async (sql: string) => viewPartitionColumn(await zs.analyze(sql), partitions);
    const lookup = (bound: string) => `
      SELECT c.* FROM curated.commerce_events AS c
      LEFT JOIN (SELECT event_id, event_date, ingest_time FROM curated.commerce_events) AS earlier
        ON earlier.event_id = c.event_id ${bound} AND earlier.ingest_time < c.ingest_time
      WHERE earlier.event_id IS NULL`;

    it("proves the dedup view: the day filter reaches `c`, and `earlier` reads only the neighbouring days", async () => {
      const views = await zs.views();
      expect(await asView(views.get("curated.commerce_events_dedup")!.sql)).toBe("event_date");
    });

    it("proves a window keyed by the day first (the former same-day dedup)", async () => {
      expect(await asView("SELECT * FROM curated.commerce_events WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY event_date, event_id ORDER BY ingest_time) = 1")).toBe("event_date");
    });

    it("refuses a window keyed by event_id alone: the day filter cannot go below it, every partition is read", async () => {
      expect(await asView("SELECT * FROM curated.commerce_events WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY ingest_time) = 1")).toBeUndefined();
    });

    it("refuses a lookup of earlier copies without a day bound, and accepts it with one", async () => {
      expect(await asView(lookup(""))).toBeUndefined();
      expect(await asView(lookup("AND earlier.event_date BETWEEN DATE_SUB(c.event_date, INTERVAL 1 DAY) AND c.event_date"))).toBe("event_date");
    });
  });

  describe("the check itself", () => {
    it("accepts a filter on the partition column against a parameter, a range, or a join condition", async () => {
      expect(await unfiltered("SELECT order_id FROM ledger.orders WHERE order_date = @d AND status = 'placed'", { d: "DATE" })).toEqual([]);
      expect(await unfiltered("SELECT order_id FROM ledger.orders WHERE order_date BETWEEN @d AND DATE_ADD(@d, INTERVAL 1 DAY)", { d: "DATE" })).toEqual([]);
      expect(
        await unfiltered(
          "SELECT o.order_id FROM ledger.orders o JOIN curated.commerce_events_dedup c ON c.order_id = o.order_id AND c.event_date = @d WHERE o.order_date = @d",
          { d: "DATE" },
        ),
      ).toEqual([]);
    });

    it("rejects a query without a filter", async () => {
      expect(await unfiltered("SELECT order_id FROM ledger.orders")).toEqual([{ table: "ledger.orders", column: "order_date" }]);
    });

    it("rejects a filter on another column, a filter under OR, and a column compared with a column", async () => {
      expect(await unfiltered("SELECT order_id FROM ledger.orders WHERE store_id = @s", { s: "STRING" })).toHaveLength(1);
      expect(await unfiltered("SELECT order_id FROM ledger.orders WHERE order_date = @d OR status = 'placed'", { d: "DATE" })).toHaveLength(1);
      expect(await unfiltered("SELECT order_id FROM ledger.orders WHERE order_date = DATE(placed_at)")).toHaveLength(1);
    });

    it("names the one scan of a self-join that is not filtered", async () => {
      const sql = "SELECT a.order_id FROM ledger.orders a JOIN ledger.orders b USING (order_id) WHERE a.order_date = @d";
      expect(await unfiltered(sql, { d: "DATE" })).toEqual([{ table: "ledger.orders", column: "order_date", alias: "b" }]);
    });

    it("checks DELETE and MERGE targets, but not an INSERT target", async () => {
      expect(await unfiltered("DELETE FROM ledger.orders WHERE status = 'x'")).toHaveLength(1);
      expect(await unfiltered("DELETE FROM ledger.orders WHERE order_date = @d", { d: "DATE" })).toEqual([]);
      const merge = (on: string) => `MERGE ledger.orders t USING (SELECT 'x' AS order_id) s ON ${on} WHEN MATCHED THEN DELETE`;
      expect(await unfiltered(merge("t.order_id = s.order_id"))).toHaveLength(1);
      expect(await unfiltered(merge("t.order_date = @d AND t.order_id = s.order_id"), { d: "DATE" })).toEqual([]);
      expect(await unfiltered("INSERT INTO ledger.orders (order_id) SELECT order_id FROM ledger.orders WHERE order_date = @d", { d: "DATE" })).toEqual([]);
    });
  });
});
