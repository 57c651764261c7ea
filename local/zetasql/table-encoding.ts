import type { CatalogTable } from "../../contracts/derive/zetasql-catalog";
import type { QueryParam, Row } from "../../functions/runtime/warehouse";
import type { OutputColumn } from "./evaluation-types";
import { ZetaSqlError } from "./grpc-client";
import { rowBytes } from "./request-size";
import type { RowPredicate } from "./row-predicate";
import { paramZetaType, type ZetaType } from "./types";
import { decodeValue, encodeValue, type ValueProto } from "./values";

/** A table's rows as EvaluateQuery / EvaluateModify take them (`table_content`). */
export interface EncodedTable {
  table_data: { row: { cell: ValueProto[] }[] };
}

export interface TableEncoding {
  /** Only rows it keeps are sent. Default: every row. */
  keep?: RowPredicate;
  /** Cell indexes `keep` reads: encoded first, the other cells only for kept rows. */
  reads?: ReadonlySet<number>;
  /** Every column of the table, when `columns` is only the ones sent; a row naming another is refused. Default: `columns`. */
  tableColumns?: CatalogTable["columns"];
}

/**
 * Encodes the given columns of each row (the table's input to one request) and estimates its size.
 * A row with a column the table does not have is refused, as BigQuery would. Rows `keep` rejects
 * are not sent: a shard keeps a few percent of a day, and encoding every cell of every row
 * dominated a shard's time.
 */
export function encodeTable(id: string, columns: CatalogTable["columns"], rows: readonly Row[], opts: TableEncoding = {}): { table: EncodedTable; bytes: number } {
  const known = new Set((opts.tableColumns ?? columns).map((c) => c.name));
  const reads = opts.reads ?? new Set<number>();
  const first = [...reads];
  const rest = columns.map((_, k) => k).filter((k) => !reads.has(k));
  const out: { cell: ValueProto[] }[] = [];
  let bytes = 0;
  const encode = (row: Row, i: number, k: number) => {
    const c = columns[k];
    try {
      return encodeValue(row[c.name], c.type as ZetaType);
    } catch (e) {
      throw new ZetaSqlError(`row ${i} of ${id}, column ${c.name}: ${(e as Error).message}`);
    }
  };
  rows.forEach((row, i) => {
    for (const k in row) if (!known.has(k)) throw new ZetaSqlError(`row ${i} of ${id} has unknown column ${k}`);
    const cell: ValueProto[] = new Array<ValueProto>(columns.length);
    for (const k of first) cell[k] = encode(row, i, k);
    if (opts.keep && !opts.keep(cell)) return;
    for (const k of rest) cell[k] = encode(row, i, k);
    out.push({ cell });
    bytes += rowBytes(cell);
  });
  return { table: { table_data: { row: out } }, bytes };
}

export function decodeRow(cells: ValueProto[], columns: OutputColumn[]): Row {
  const row: Row = {};
  columns.forEach((c, i) => (row[c.name] = decodeValue(cells[i], c.type)));
  return row;
}

export function encodeParams(params: Record<string, QueryParam>): { name: string; value: ValueProto }[] {
  return Object.entries(params).map(([name, p]) => {
    try {
      return { name, value: encodeValue(p.value, paramZetaType(p.type)) };
    } catch (e) {
      throw new ZetaSqlError(`query parameter @${name}: ${(e as Error).message}`);
    }
  });
}
