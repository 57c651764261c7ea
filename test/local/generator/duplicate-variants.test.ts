import { localDate } from "../../../config/calendar-date";
import { generateCommerceDay } from "../../../local/generator/commerce-day";
import { STORES } from "../../../local/generator/reference-data";

const options = { seed: 5, events: 3000, ratePerSecond: 1000, startMs: Date.parse("2026-12-01T10:00:00Z"), duplicateShare: 0.1 };

test("without variants every duplicate is an exact re-send", () => {
  const day = generateCommerceDay(options);
  const byId = new Map(day.messages.filter((m) => m.role === "event").map((m) => [m.eventId, m.data]));
  const dups = day.messages.filter((m) => m.role === "duplicate");
  expect(dups.length).toBe(300);
  for (const d of dups) expect(d).toMatchObject({ duplicateKind: "exact", data: byId.get(d.eventId) });
});

test("re-stamped copies fall on the store's previous local day; conflicting copies differ in payload only", () => {
  const day = generateCommerceDay({ ...options, duplicateVariants: { restamped: 1 / 3, conflicting: 1 / 3 } });
  const originals = new Map(day.messages.filter((m) => m.role === "event").map((m) => [m.eventId, JSON.parse(m.data) as Record<string, unknown>]));
  const dups = day.messages.filter((m) => m.role === "duplicate");
  const kinds = new Set(dups.map((d) => d.duplicateKind));
  expect([...kinds].sort()).toEqual(["conflicting", "exact", "restamped"]);
  for (const d of dups) {
    const copy = JSON.parse(d.data) as Record<string, unknown> & { occurred_at: string; store_id: string };
    const original = originals.get(d.eventId)! as typeof copy;
    const zone = STORES.find((s) => s.store_id === copy.store_id)!.time_zone;
    const { occurred_at: a, attributes: x, ...restCopy } = copy;
    const { occurred_at: b, attributes: y, ...restOriginal } = original;
    expect(restCopy).toEqual(restOriginal);
    if (d.duplicateKind === "restamped") {
      expect(localDate(Date.parse(a), zone)).not.toBe(localDate(Date.parse(b), zone));
      expect(x).toEqual(y);
    }
    if (d.duplicateKind === "conflicting") {
      expect(a).toBe(b);
      expect(x).not.toEqual(y);
    }
  }
});
