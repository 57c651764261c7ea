import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppendQueue } from "../../../local/warehouse/append-queue";
import { withTableLocks } from "../../../local/warehouse/table-lock";
import { tempDirEachTest } from "../../support/temp-dir";

describe("AppendQueue", () => {
  const tempDir = tempDirEachTest("append-queue-");

  it("writes nothing while another holder has the table lock, then everything queued meanwhile, in order", async () => {
    const file = join(tempDir(), "t.jsonl");
    const queue = new AppendQueue(file);
    let release!: () => void;
    let heldSignal!: () => void;
    const held = new Promise<void>((r) => (heldSignal = r));
    // Another writer (a DML rewrite in another process) holds the lock.
    const holder = withTableLocks([file], () => {
      heldSignal();
      return new Promise<void>((r) => (release = r));
    });
    await held;
    const appends = Array.from({ length: 20 }, (_, i) => queue.append(`${i}\n`));
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(file)).toBe(false);
    release();
    await holder;
    await Promise.all(appends);
    expect(readFileSync(file, "utf8")).toBe(Array.from({ length: 20 }, (_, i) => `${i}\n`).join(""));
  });

  it("rejects every append of a failed write and keeps serving later ones", async () => {
    // A folder where the table file should be: the lock is taken, the write fails (EISDIR).
    const dir = tempDir();
    const folder = join(dir, "folder.jsonl");
    mkdirSync(folder);
    const queue = new AppendQueue(folder);
    const results = await Promise.allSettled([queue.append("a\n"), queue.append("b\n")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    const ok = new AppendQueue(join(dir, "t.jsonl"));
    await ok.append("c\n");
    expect(readFileSync(join(dir, "t.jsonl"), "utf8")).toBe("c\n");
  });
});
