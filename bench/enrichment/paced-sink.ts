import type { TableId } from "../../contracts/table";
import type { InsertOptions, InsertResult, QueryResult, Row, Warehouse } from "../../functions/runtime/warehouse";

/**
 * The bench's warehouse: every insert call serializes its insertAll request body (the CPU the BigQuery
 * client spends on it at least; its TLS and HTTP work is not here) and answers after `latencyMs`, like
 * a streaming insert. It keeps counts only, so memory measured is the function's, not the sink's.
 * Reference queries get the seeded rows of the table named after FROM.
 */
export class PacedSink implements Warehouse {
  rows = 0;
  calls = 0;
  inFlight = 0;
  mostInFlight = 0;

  constructor(
    private readonly latencyMs: number,
    private readonly tables: Record<string, Row[]>,
  ) {}

  async insertRows(_table: TableId, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    const body = JSON.stringify({ rows: rows.map((json, i) => ({ insertId: opts.insertIds?.[i], json })) });
    if (body.length === 0) throw new Error("unreachable: empty insertAll body");
    this.calls++;
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    await new Promise((r) => setTimeout(r, this.latencyMs));
    this.inFlight--;
    this.rows += rows.length;
    return { inserted: rows.length, failed: [] };
  }

  async query<T extends Row = Row>(sql: string): Promise<QueryResult<T>> {
    const table = /\bFROM\s+`?(?:[\w-]+\.)?(\w+\.\w+)`?/i.exec(sql)?.[1];
    if (!table || !this.tables[table]) throw new Error(`paced sink has no rows for the query: ${sql}`);
    return { rows: this.tables[table] as T[] };
  }
}
