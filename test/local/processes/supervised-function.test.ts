import { join } from "node:path";
import { nextRestart } from "../../../local/processes/restart-backoff";
import { SupervisedFunction, type RestartEvent } from "../../../local/processes/supervised-function";

const MODULE = join(__dirname, "pid-function.ts");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(get: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("restart delays double within a crash streak, are capped, and start over after a long uptime", () => {
  const policy = { initialMs: 100, maxMs: 1000, resetAfterMs: 10_000 };
  const delays: number[] = [];
  let streak = 0;
  for (let i = 0; i < 6; i++) {
    const next = nextRestart(policy, streak, 50);
    streak = next.streak;
    delays.push(next.delayMs);
  }
  expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  expect(nextRestart(policy, streak, 10_000)).toEqual({ streak: 1, delayMs: 100 });
});

describe("a supervised function process", () => {
  const restarts: RestartEvent[] = [];
  const fn = new SupervisedFunction({
    name: "pid",
    module: MODULE,
    target: "pid",
    backoff: { initialMs: 100, maxMs: 1000 },
    liveness: { intervalMs: 300, timeoutMs: 500, failuresBeforeRestart: 2 },
    onRestart: (e) => restarts.push(e),
  });
  const pidServing = async () => Number(await (await fetch(fn.url)).text());

  beforeAll(() => fn.start(), 60_000);
  afterAll(() => fn.stop());

  test("killed with SIGKILL, it is restarted on the same URL and the restart is counted", async () => {
    const first = fn.pid;
    expect(await pidServing()).toBe(first);
    process.kill(first, "SIGKILL");
    const event = await until(() => restarts[0], 30_000);
    expect(event).toMatchObject({ name: "pid", reason: "exited", exit: "SIGKILL", previousPid: first, restarts: 1 });
    expect(event.pid).not.toBe(first);
    expect(await pidServing()).toBe(event.pid);
    expect(fn.restarts).toBe(1);
  }, 60_000);

  test("requests sent while it restarts are held by the front door and served by the new process, none refused", async () => {
    const killed = fn.pid;
    const before = restarts.length;
    process.kill(killed, "SIGKILL");
    // Once it is gone (a request it accepted while dying is answered 503, by design), and before the
    // supervisor has a new process: a bare port would refuse these.
    await until(() => !alive(killed), 10_000);
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(fn.url).then(async (r) => ({ status: r.status, pid: Number(await r.text()) }))));
    const event = await until(() => restarts[before], 30_000);
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 200, pid: event.pid })));
    expect(event.previousPid).toBe(killed);
  }, 60_000);

  test("when it stops answering, the liveness probe kills it and it is restarted", async () => {
    const hung = fn.pid;
    expect((await fetch(new URL("hang", fn.url), { method: "POST" })).status).toBe(202);
    const event = await until(() => restarts[2], 30_000);
    expect(event).toMatchObject({ reason: "unresponsive", previousPid: hung, restarts: 3 });
    expect(alive(hung)).toBe(false);
    expect(await pidServing()).toBe(event.pid);
  }, 60_000);

  test("stop() ends supervision: the process is stopped and not restarted", async () => {
    const last = fn.pid;
    await fn.stop();
    expect(alive(last)).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(fn.restarts).toBe(3);
    await expect(fetch(fn.url)).rejects.toThrow();
  });
});
