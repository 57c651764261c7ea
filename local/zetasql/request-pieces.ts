/**
 * Fitting a pushed-down evaluation into ZetaSQL's 4 MiB requests: the byte budget for table rows,
 * the split of one table's rows into pieces by a partition key, and the error when nothing fits.
 */

import type { CatalogTable, ZetaSqlCatalogProto } from "../../contracts/derive/zetasql-catalog";
import { bucketHash } from "./farm-fingerprint";
import { ZetaSqlError } from "./grpc-client";
import { ZETASQL_REQUEST_LIMIT_BYTES } from "./request-size";
import type { EncodedTable } from "./table-encoding";
import type { ValueProto } from "./values";

// Room in a request for the SQL text, options and parameters besides the catalog and table rows, bytes.
const REQUEST_OVERHEAD_BYTES = 128 * 1024;

/** One table's part of a request: the columns sent and its encoded rows. */
export interface PrunedTable {
  id: string;
  columns: CatalogTable["columns"];
  rows: { table: EncodedTable; bytes: number };
}

/** Bytes left for table rows in a request carrying `catalog`. */
export function rowBudget(catalog: ZetaSqlCatalogProto): number {
  return ZETASQL_REQUEST_LIMIT_BYTES - REQUEST_OVERHEAD_BYTES - Buffer.byteLength(JSON.stringify(catalog));
}

/**
 * Splits `part`'s rows into pieces that each fit in `budget` beside the other parts' rows, rows with equal
 * `splitKey` values in the same piece (round robin when the key is empty, e.g. a view without a
 * window). Throws when the other tables alone do not fit.
 */
export function splitRows(parts: readonly PrunedTable[], part: PrunedTable, splitKey: readonly string[], budget: number): EncodedTable[] {
  const others = parts.reduce((n, p) => n + p.rows.bytes, 0) - part.rows.bytes;
  if (others >= budget) throw new ZetaSqlError(tooLarge(parts, budget));
  // A margin for uneven hashing; a piece still too large is refused by the server with the sizes explained.
  const pieces = Math.ceil((1.25 * part.rows.bytes) / (budget - others));
  const keyIndexes = splitKey.map((k) => part.columns.findIndex((c) => c.name === k));
  const buckets: { cell: ValueProto[] }[][] = Array.from({ length: pieces }, () => []);
  part.rows.table.table_data.row.forEach((row, i) => {
    const bucket = keyIndexes.length === 0 ? i % pieces : Number(bucketHash(JSON.stringify(keyIndexes.map((k) => row.cell[k]))) % BigInt(pieces));
    buckets[bucket].push(row);
  });
  return buckets.map((row) => ({ table_data: { row } }));
}

/** Why the tables do not fit one request, with their sizes, and what to do. */
export function tooLarge(parts: readonly PrunedTable[], budget: number): string {
  const sizes = parts.map((p) => `${p.id}: ${p.rows.table.table_data.row.length} rows x ${p.columns.length} columns ~${p.rows.bytes} bytes`);
  return (
    `the query needs more rows than one ZetaSQL request can carry (4 MiB; ~${budget} bytes for rows): ${sizes.join(", ")}. ` +
    "Filter each table more narrowly right where it is read (its partition column, or a hash shard such as MOD(ABS(FARM_FINGERPRINT(key)), @shard_count) = @shard)"
  );
}
