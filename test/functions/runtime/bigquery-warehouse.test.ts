import { common } from "@google-cloud/bigquery";
import { BigQueryWarehouse, type BigQueryClient } from "../../../functions/runtime/bigquery-warehouse";
import { TransientWarehouseError } from "../../../functions/runtime/warehouse";

// The real BigQuery API is the one thing faked, at the client boundary: `insert` and `createQueryJob`.
function fakeClient(insert: (rows: { insertId?: string; json: unknown }[], opts: object) => Promise<unknown>, queryRows: Record<string, unknown>[] = []) {
  const calls: { dataset: string; table: string; rows: unknown[]; opts: object }[] = [];
  const queries: object[] = [];
  const client: BigQueryClient = {
    dataset: (dataset) => ({
      table: (table) => ({
        insert: (rows, opts) => {
          calls.push({ dataset, table, rows, opts });
          return insert(rows as { insertId?: string; json: unknown }[], opts);
        },
      }),
    }),
    createQueryJob: async (opts) => {
      queries.push(opts);
      return [{ getQueryResults: async () => [queryRows], metadata: { statistics: { totalBytesProcessed: "2048" } } }];
    },
  };
  return { client, calls, queries };
}

const apiError = (code: number) => Object.assign(new Error(`HTTP ${code}`), { code });

describe("BigQueryWarehouse", () => {
  it("streams raw rows with insertId per row into dataset.table", async () => {
    const f = fakeClient(async () => ({}));
    const wh = new BigQueryWarehouse({ projectId: "p", client: f.client });
    await expect(wh.insertRows("curated.commerce_events", [{ a: 1 }, { a: 2 }], { insertIds: ["e1", "e2"] })).resolves.toEqual({ inserted: 2, failed: [] });
    expect(f.calls[0]).toMatchObject({ dataset: "curated", table: "commerce_events", rows: [{ insertId: "e1", json: { a: 1 } }, { insertId: "e2", json: { a: 2 } }] });
    expect(f.calls[0].opts).toMatchObject({ raw: true, skipInvalidRows: true, partialRetries: 0 });
  });

  it("maps a PartialFailureError to per-row failures, retryable only for transient reasons", async () => {
    const f = fakeClient(async (rows) => {
      throw new common.util.PartialFailureError({
        errors: [
          { row: rows[1], errors: [{ reason: "invalid", message: "no such field: x" }] },
          { row: rows[2], errors: [{ reason: "backendError", message: "try again" }] },
        ],
        response: {},
      } as never);
    });
    const wh = new BigQueryWarehouse({ projectId: "p", client: f.client });
    const r = await wh.insertRows("curated.commerce_events", [{}, {}, {}, {}], { insertIds: ["a", "b", "c", "d"] });
    expect(r.inserted).toBe(2);
    expect(r.failed).toEqual([
      { index: 1, reason: "invalid: no such field: x", retryable: false },
      { index: 2, reason: "backendError: try again", retryable: true },
    ]);
  });

  it.each([429, 500, 503])("turns HTTP %i into a TransientWarehouseError", async (code) => {
    const wh = new BigQueryWarehouse({ projectId: "p", client: fakeClient(async () => Promise.reject(apiError(code))).client });
    await expect(wh.insertRows("curated.commerce_events", [{}])).rejects.toBeInstanceOf(TransientWarehouseError);
  });

  it.each(["rateLimitExceeded", "quotaExceeded"])("turns a 403 whose reason is %s into a TransientWarehouseError", async (reason) => {
    const limited = Object.assign(apiError(403), { errors: [{ reason, message: "Exceeded rate limits" }] });
    const wh = new BigQueryWarehouse({ projectId: "p", client: fakeClient(async () => Promise.reject(limited)).client });
    await expect(wh.insertRows("curated.commerce_events", [{}])).rejects.toBeInstanceOf(TransientWarehouseError);
  });

  it("lets a permanent error (403) through as is", async () => {
    const wh = new BigQueryWarehouse({ projectId: "p", client: fakeClient(async () => Promise.reject(apiError(403))).client });
    const err = await wh.insertRows("curated.commerce_events", [{}]).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(TransientWarehouseError);
  });

  it("returns NUMERIC (big.js) values as plain decimal strings, never exponent notation", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- big.js ships no types; it is what the client returns for NUMERIC
    const Big = require("big.js") as new (v: string) => object;
    const f = fakeClient(async () => ({}), [{ tiny: new Big("0.00000001"), huge: new Big("123456789012345678901234.5"), usd: new Big("19.99") }]);
    const r = await new BigQueryWarehouse({ projectId: "p", client: f.client }).query("SELECT 1");
    expect(r.rows).toEqual([{ tiny: "0.00000001", huge: "123456789012345678901234.5", usd: "19.99" }]);
  });

  it("runs queries with typed named parameters and returns plain values", async () => {
    const f = fakeClient(async () => ({}), [{ d: { value: "2026-03-01" }, n: 3 }]);
    const wh = new BigQueryWarehouse({ projectId: "p", location: "EU", client: f.client });
    const r = await wh.query("SELECT @run_date AS d", { run_date: { type: "DATE", value: "2026-03-01" } });
    expect(f.queries[0]).toMatchObject({ params: { run_date: "2026-03-01" }, types: { run_date: "DATE" }, useLegacySql: false, location: "EU" });
    expect(r).toEqual({ rows: [{ d: "2026-03-01", n: 3 }], bytesProcessed: 2048, affectedRows: undefined });
  });
});
