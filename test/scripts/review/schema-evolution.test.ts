import type { Schema } from "avsc";
import { readAcknowledgements } from "../../../scripts/review/acknowledgement-files";
import { findAcknowledgement, parseAcknowledgement } from "../../../scripts/review/acknowledgements";
import { hazardKey } from "../../../scripts/review/hazard";
import { currentSchemas, readReleasedSchemas } from "../../../scripts/review/released-schemas";
import { schemaEvolution, type SchemaSet } from "../../../scripts/review/schema-evolution";
import { PROJECT_ROOT } from "../../stacks/synth-pipeline";
import { repositorySql } from "./stacks-fixture";

const sql = repositorySql();

/** The guard of `npm test`: today's contracts against migrations/released/, acknowledgements from migrations/. */
describe("schema evolution against the released schemas", () => {
  it("has no unacknowledged DATA LOSS or BREAKING change (run `npm run release-schemas` when a release ships)", () => {
    const released = readReleasedSchemas(PROJECT_ROOT);
    expect(Object.keys(released.tables).length).toBeGreaterThan(0);
    const { hazards, additive } = schemaEvolution(released, currentSchemas(), sql);
    const acks = readAcknowledgements(PROJECT_ROOT);
    const open = hazards.filter((h) => !findAcknowledgement(acks, h)).map((h) => `${hazardKey(h)}: ${h.why}`);
    // Additive changes pass; they are listed so a reviewer sees them in the test log.
    if (additive.length > 0) console.info(`additive schema changes since the release:\n${additive.join("\n")}`);
    expect(open).toEqual([]);
  });

  it("names table, column, old → new and why the provider replaces the table; lists additive columns", () => {
    const released = currentSchemas();
    const cols = [...released.tables["curated.commerce_events"]];
    const changed = cols
      .filter((c) => c.name !== "session_id")
      .map((c) => (c.name === "quantity" ? { ...c, type: "STRING" } : c))
      .concat([{ name: "note", type: "STRING", mode: "NULLABLE" }]);
    const avro = JSON.parse(JSON.stringify(released.avro["commerce-event"])) as { fields: { name: string; type: unknown }[] };
    avro.fields.find((f) => f.name === "quantity")!.type = ["null", "string"];
    const current: SchemaSet = { tables: { ...released.tables, "curated.commerce_events": changed }, avro: { "commerce-event": avro as unknown as Schema } };
    const { hazards, additive } = schemaEvolution(released, current, sql);
    expect(hazards.map((h) => `${hazardKey(h)}: ${h.why}`)).toEqual([
      "DATA LOSS · table curated.commerce_events · column session_id dropped (STRING NULLABLE): the provider replaces the table to drop a column: its rows are lost",
      "BREAKING · table curated.commerce_events · column session_id dropped (STRING NULLABLE), still read by sql/parity/recompute_sample.sql, sql/repair/merge_missing_orders.sql: the SQL fails with an unrecognized name once the column is gone",
      "DATA LOSS · table curated.commerce_events · column quantity INTEGER → STRING: the provider replaces the table to change a column's type: its rows are lost",
      'BREAKING · schema commerce-event · Avro field quantity null|long → null|string: readers on the new schema cannot read messages published with the old one (cannot read "long" as ["null","string"]); readers on the old schema cannot read messages published with the new one (cannot read "string" as ["null","long"])',
    ]);
    expect(additive).toEqual(["table curated.commerce_events · column note added (STRING NULLABLE)"]);

    // The same acknowledgement `npm run review` accepts clears the guard, hazard by hazard.
    const ack = parseAcknowledgement(
      "migrations/2026-12-01-quantity.json",
      JSON.stringify({ hazards: [hazardKey(hazards[2])], reason: "POS sends fractional quantities now.", plan: "backfill from raw mirror after recreate" }),
    );
    expect(hazards.filter((h) => !findAcknowledgement([ack], h)).map((h) => h.subject + " · " + h.what)).toEqual([
      "table curated.commerce_events · column session_id dropped (STRING NULLABLE)",
      "table curated.commerce_events · column session_id dropped (STRING NULLABLE), still read by sql/parity/recompute_sample.sql, sql/repair/merge_missing_orders.sql",
      "schema commerce-event · Avro field quantity null|long → null|string",
    ]);
  });

  it("passes a new table and an optional Avro field, and fails a removed table", () => {
    const released = currentSchemas();
    const { "ref.fx_rates": _gone, ...rest } = released.tables;
    const avro = JSON.parse(JSON.stringify(released.avro["commerce-event"])) as { fields: unknown[] };
    avro.fields.push({ name: "note", type: ["null", "string"], default: null });
    const current: SchemaSet = { tables: { ...rest, "ledger.returns": [{ name: "load_date", type: "DATE", mode: "REQUIRED" }] }, avro: { "commerce-event": avro as unknown as Schema } };
    const { hazards, additive } = schemaEvolution(released, current, sql);
    expect(hazards.map(hazardKey)).toEqual(["DATA LOSS · table ref.fx_rates · table removed"]);
    expect(additive).toEqual(["table ledger.returns · added", "schema commerce-event · Avro field note added (null|string)"]);
  });
});
