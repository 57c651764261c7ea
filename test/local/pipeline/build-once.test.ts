import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildOnceWhenStale } from "../../../local/pipeline/build-once";

const dir = mkdtempSync(join(tmpdir(), "build-once-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("callers that all find the output stale build it once; the others wait and reuse it", async () => {
  const output = join(dir, "out");
  let builds = 0;
  const build = async () => {
    builds++;
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(output, "built");
  };
  const results = await Promise.all([1, 2, 3].map(() => buildOnceWhenStale(join(dir, "lock"), () => existsSync(output), build)));
  expect(builds).toBe(1);
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(existsSync(join(dir, "lock"))).toBe(false);
});

test("a failed build releases the lock and fails its caller; the next caller builds", async () => {
  const output = join(dir, "out-2");
  await expect(buildOnceWhenStale(join(dir, "lock-2"), () => existsSync(output), async () => Promise.reject(new Error("synth broke")))).rejects.toThrow("synth broke");
  await expect(buildOnceWhenStale(join(dir, "lock-2"), () => existsSync(output), async () => writeFileSync(output, "x"))).resolves.toBe(true);
  await expect(buildOnceWhenStale(join(dir, "lock-2"), () => existsSync(output), async () => Promise.reject(new Error("not called")))).resolves.toBe(false);
});
