import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAcknowledgement, type Acknowledgement } from "./acknowledgements";

/** The acknowledgement files directly under migrations/ (migrations/released/ holds the released schemas). */
export function readAcknowledgements(repo: string): Acknowledgement[] {
  const dir = join(repo, "migrations");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => parseAcknowledgement(`migrations/${f}`, readFileSync(join(dir, f), "utf8")));
}
