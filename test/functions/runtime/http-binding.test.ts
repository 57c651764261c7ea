import type { AddressInfo } from "node:net";
import * as functions from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { httpBinding, type HttpAnswer } from "../../../functions/runtime/http-binding";
import { TRACE_FIELD, createLogger } from "../../../functions/runtime/logger";

// The shared binding served by the real Functions Framework (its express server on a free loopback port).
const lines: Record<string, unknown>[] = [];
const logger = createLogger({ destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
const fn = { logger, projectId: "streamline-dev" };
let answer: HttpAnswer = { status: 204, body: "" };

functions.http(
  "textOrJson",
  httpBinding(fn, async (_f, req, log) => {
    log.info({ got: req.body }, "handled");
    return answer;
  }),
);
functions.http(
  "silent",
  httpBinding(fn, async () => ({ status: 204, body: "" })),
);
functions.http(
  "throws",
  httpBinding(fn, () => Promise.reject(new Error("bug"))),
);
functions.http(
  "startingUp",
  httpBinding(
    new Promise<typeof fn>((resolve) => setTimeout(() => resolve(fn), 50)),
    async () => ({ status: 200, body: { ready: true } }),
  ),
);

const servers: ReturnType<typeof getTestServer>[] = [];
async function post(target: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const server = getTestServer(target);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
afterAll(async () => {
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
});
beforeEach(() => (lines.length = 0));

describe("httpBinding (both functions' HTTP entry)", () => {
  it("answers text with the status and no JSON wrapping, logging with the request's trace id", async () => {
    answer = { status: 503, body: "retry: sink down" };
    const res = await post("textOrJson", { a: 1 }, { "X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1" });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("retry: sink down");
    expect(lines).toEqual([expect.objectContaining({ got: { a: 1 }, [TRACE_FIELD]: "projects/streamline-dev/traces/105445aa7843bc8bf206b12000100000" })]);
  });

  it("answers an object as JSON", async () => {
    answer = { status: 400, body: { error: "no run_date" } };
    const res = await post("textOrJson", {});
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: "no run_date" });
  });

  it("waits for a function that is still starting up", async () => {
    const res = await post("startingUp", {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true });
  });

  it("makes the trace child logger only for a request that logs", async () => {
    const child = jest.spyOn(logger, "child");
    try {
      expect((await post("silent", {}, { "X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1" })).status).toBe(204);
      expect(child).not.toHaveBeenCalled();
      await post("textOrJson", {}, { "X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1" });
      expect(child).toHaveBeenCalledTimes(1);
    } finally {
      child.mockRestore();
    }
  });

  it("answers 500 (so a push is redelivered) and logs when a handler rejects", async () => {
    const res = await post("throws", {});
    expect(res.status).toBe(500);
    expect(lines).toEqual([expect.objectContaining({ event: "handler_crashed", severity: "ERROR" })]);
  });
});
