import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEAD_LETTER_ATTRIBUTES, DEAD_LETTERS_VIEW, PUBSUB_FORWARD_ATTRIBUTES } from "../../contracts/dead-letters";
import { synthDevStack } from "../../fixtures/dev-stack";
import { parseSqlHeader } from "../../local/zetasql/sql-header";

// SQL cannot import the contract, so this holds the view to it: a renamed attribute fails here, not
// as "reason unknown" in production.
const VIEW_FILE = join(__dirname, "..", "..", "sql", "views", "dead_letters_explained.sql");
const viewSql = readFileSync(VIEW_FILE, "utf8");
const readAttributes = new Set([...viewSql.matchAll(/JSON_VALUE\(attributes, '\$\.(\w+)'\)/g)].map((m) => m[1]));

test("the view reads only attributes the contract names, and both kinds of dead letter", () => {
  const named = new Set<string>([...Object.values(DEAD_LETTER_ATTRIBUTES), ...Object.values(PUBSUB_FORWARD_ATTRIBUTES)]);
  expect([...readAttributes].filter((a) => !named.has(a))).toEqual([]);
  const A = DEAD_LETTER_ATTRIBUTES;
  for (const a of [A.reason, A.errorDetail, A.stage, A.errorClass, A.sourceSubscription, A.pipelineVersion, A.deadLetteredAt]) expect(readAttributes).toContain(a);
  expect(readAttributes).toContain(PUBSUB_FORWARD_ATTRIBUTES.deliveryCount);
  expect(readAttributes).toContain(PUBSUB_FORWARD_ATTRIBUTES.subscription);
});

test("the view is created under the contract's name locally (@view header) and by the stack", () => {
  expect(parseSqlHeader(viewSql, VIEW_FILE).view).toBe(DEAD_LETTERS_VIEW);
  const tables = Object.values((synthDevStack().resource as Record<string, Record<string, { table_id?: string; view?: unknown }>>).google_bigquery_table);
  const [, table] = DEAD_LETTERS_VIEW.split(".");
  expect(tables.filter((t) => t.view !== undefined).map((t) => t.table_id)).toContain(table);
});
