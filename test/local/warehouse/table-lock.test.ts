import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { withTableLocks } from "../../../local/warehouse/table-lock";
import { tempDirEachTest } from "../../support/temp-dir";

const ROOT = resolve(__dirname, "../../..");

describe("table locks", () => {
  const tempDir = tempDirEachTest("table-lock-");

  it("take a SIGKILLed holder's lock over within seconds, not after the 30 s staleness", async () => {
    const dir = tempDir();
    const file = join(dir, "t.jsonl");
    writeFileSync(file, "");
    const script = join(dir, "holder.ts");
    writeFileSync(script, `import { withTableLocks } from ${JSON.stringify(join(ROOT, "local/warehouse/table-lock"))};\nvoid withTableLocks([${JSON.stringify(file)}], () => { console.log("held"); return new Promise(() => setInterval(() => undefined, 1000)); });\n`);
    const holder = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((ok, fail) => {
        holder.stdout.on("data", (d: Buffer) => d.toString().includes("held") && ok());
        holder.once("exit", () => fail(new Error("holder exited before taking the lock")));
      });
      // A live holder keeps its lock.
      const early = await Promise.race([withTableLocks([file], () => "got"), new Promise((r) => setTimeout(() => r("waiting"), 2500))]);
      expect(early).toBe("waiting");
      holder.kill("SIGKILL");
      const started = Date.now();
      await withTableLocks([file], () => undefined);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      holder.kill("SIGKILL");
    }
  }, 60_000);
});
