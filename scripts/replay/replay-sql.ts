import { sqlStatementsLoader } from "../../functions/runtime/sql-files";

/** The statements replay and redrive run, by file under sql/. */
export const loadReplaySql = sqlStatementsLoader({
  rawWindowPage: "replay/raw_window_page.sql",
  rawWindowHours: "replay/raw_window_hours.sql",
  deadLettersWindow: "redrive/dead_letters_window.sql",
  recordRedrive: "redrive/record_redrive.sql",
});
export type ReplaySql = ReturnType<typeof loadReplaySql>;
