import { NIGHTLY_RECONCILE_REQUEST, PREVIOUS_DAY, RECONCILE_REQUEST_SHAPE } from "../../contracts/reconcile-request";
import { resolveRunDate } from "../../functions/reconciliation/run-date";
import { BadRunRequestError, fromHttp } from "../../functions/reconciliation/trigger";

// The stack publishes the contract's message and the function resolves it: the nightly 02:30
// Amsterdam run reconciles the Amsterdam yesterday.
test("the reconciliation function resolves the nightly schedule's message to the previous local day", () => {
  const firedAt = new Date("2026-03-01T01:30:00Z"); // 02:30 in Amsterdam
  expect(resolveRunDate(NIGHTLY_RECONCILE_REQUEST.run_date, firedAt, "Europe/Amsterdam")).toBe("2026-02-28");
  expect(resolveRunDate(NIGHTLY_RECONCILE_REQUEST.run_date, new Date("2026-03-01T00:30:00Z"), "America/New_York")).toBe("2026-02-27");
});

test("the trigger reads the contract's message from a push envelope and names its shape when the data is not JSON", () => {
  const envelope = (data: string) => ({ message: { messageId: "m-1", publishTime: "2026-03-01T01:30:00Z", data: Buffer.from(data).toString("base64") } });
  const request = fromHttp(envelope(JSON.stringify(NIGHTLY_RECONCILE_REQUEST)), {}, new Date());
  expect(request).toMatchObject({ requested: PREVIOUS_DAY, via: "push", messageId: "m-1" });
  expect(() => fromHttp(envelope("run it"), {}, new Date())).toThrow(new BadRunRequestError(`message data is not JSON: expected ${RECONCILE_REQUEST_SHAPE}`));
  expect(() => fromHttp({}, {}, new Date())).toThrow(RECONCILE_REQUEST_SHAPE);
});
