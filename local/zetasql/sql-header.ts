import type { ParamType } from "../../functions/runtime/warehouse";
import { PARAM_TYPES } from "./types";

/**
 * The header convention of files under sql/: leading `--` comment lines may declare
 *   -- @param run_date DATE          a named query parameter and its BigQuery type
 *   -- @view curated.commerce_events_dedup   (sql/views/ only) the name the view is created as
 */
export interface SqlHeader {
  params: Record<string, ParamType>;
  view?: string;
}

const PARAM_LINE = /^--\s*@param\s+(\w+)\s+(\w+)\s*$/;
const VIEW_LINE = /^--\s*@view\s+([\w-]+\.\w+)\s*$/;

export function parseSqlHeader(sql: string, fileForErrors = "SQL"): SqlHeader {
  const header: SqlHeader = { params: {} };
  for (const raw of sql.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (!line.startsWith("--")) break;
    const p = PARAM_LINE.exec(line);
    if (p) {
      const type = p[2].toUpperCase() as ParamType;
      if (!PARAM_TYPES.includes(type)) throw new Error(`${fileForErrors}: @param ${p[1]} has unknown type ${p[2]} (one of ${PARAM_TYPES.join(", ")})`);
      header.params[p[1]] = type;
      continue;
    }
    const v = VIEW_LINE.exec(line);
    if (v) header.view = v[1];
    else if (/^--\s*@(param|view)\b/.test(line)) throw new Error(`${fileForErrors}: malformed header line ${JSON.stringify(line)}; expected "-- @param name TYPE" or "-- @view dataset.name"`);
  }
  return header;
}
