/**
 * ZetaSQL's remote_server refuses a gRPC request over 4 MiB (gRPC's default, built into the binary).
 * Table contents are planned against that limit with a cheap, slightly generous estimate of each
 * cell's protobuf size; the exact size of every request sent is reported by the gRPC client.
 */

import type { ValueProto } from "./values";

/** remote_server's receive limit, bytes. */
export const ZETASQL_REQUEST_LIMIT_BYTES = 4 * 1024 * 1024;

function varintBytes(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

function field(payload: number): number {
  return 1 + varintBytes(payload) + payload;
}

/** Estimated encoded size of one ValueProto, including its field header in the row. */
function cellBytes(cell: ValueProto): number {
  let inner = 0;
  if (cell.string_value !== undefined) inner = field(Buffer.byteLength(cell.string_value as string, "utf8"));
  else if (cell.int64_value !== undefined) inner = 11;
  else if (cell.numeric_value !== undefined) inner = field((cell.numeric_value as Uint8Array).length);
  else if (cell.date_value !== undefined) inner = 5;
  else if (cell.timestamp_value !== undefined) inner = 15;
  else if (cell.bool_value !== undefined) inner = 2;
  else if (cell.double_value !== undefined) inner = 9;
  else if (cell.bytes_value !== undefined) inner = field((cell.bytes_value as Uint8Array).length);
  else if (cell.json_value !== undefined) inner = field(Buffer.byteLength(cell.json_value as string, "utf8"));
  else if (cell.array_value !== undefined) {
    const elements = ((cell.array_value as { element?: ValueProto[] }).element ?? []).reduce((n, e) => n + cellBytes(e), 0);
    inner = field(elements);
  }
  return field(inner);
}

/** Estimated encoded size of one row of cells, including its field header in the table. */
export function rowBytes(cells: readonly ValueProto[]): number {
  let n = 0;
  for (const c of cells) n += cellBytes(c);
  return field(n);
}
