export { startZetaSql, ZETASQL_ADDRESS_ENV, type ZetaSqlSession } from "./session";
export { startZetaSqlServer, remoteServerBinary, type ZetaSqlServer } from "./server";
export {
  ZetaSql,
  type ZetaSqlOptions,
  type TableRows,
  type QueryOutput,
  type ModifyOutput,
  type RowChange,
  type OutputColumn,
  type CatalogView,
  type ResolvedStatement,
  type StatementKind,
  type RequestStats,
  type EvaluateOptions,
} from "./zetasql";
export type { TableVersions } from "./view-cache";
export { ZetaSqlError } from "./grpc-client";
export { parseSqlHeader, type SqlHeader } from "./sql-header";
export { encodeNumeric, decodeNumeric } from "./numeric";
export type { ZetaType } from "./types";
export { farmFingerprint } from "./farm-fingerprint";
