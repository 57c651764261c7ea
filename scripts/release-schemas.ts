import { Command } from "commander";
import { currentSchemas, writeReleasedSchemas } from "./review/released-schemas";

// `npm run release-schemas`: records today's contracts (BigQuery schema per table, the Avro schema of
// commerce-events) as released, under migrations/released/. Run it when a release ships; the
// schema-evolution test then judges every later contract change against it.
new Command("release-schemas")
  .description("Write the released schemas (migrations/released/) from the contracts.")
  .action(() => {
    for (const file of writeReleasedSchemas(process.cwd(), currentSchemas())) console.log(`released: ${file}`);
  })
  .parse();
