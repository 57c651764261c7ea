import { qualifyTableRefs } from "../../stacks/constructs/qualify-table-refs";

const DATASETS = ["raw", "curated", "ref"];

test("pins dataset-qualified tables after FROM/JOIN and backticked ones anywhere to the project", () => {
  const sql = "SELECT c.* FROM curated.commerce_events c\nLEFT JOIN `ref.products` p USING (sku)\njoin ref.stores s ON s.store_id = c.store_id";
  expect(qualifyTableRefs(sql, "proj-1", DATASETS)).toBe(
    "SELECT c.* FROM `proj-1.curated.commerce_events` c\nLEFT JOIN `proj-1.ref.products` p USING (sku)\njoin `proj-1.ref.stores` s ON s.store_id = c.store_id",
  );
});

test("leaves columns of an alias named like a dataset, other datasets and already-qualified names alone", () => {
  const sql = "SELECT ref.sku FROM `other.t` AS ref JOIN `proj-1.curated.x` USING (sku) -- curated.commerce_events";
  expect(qualifyTableRefs(sql, "proj-1", DATASETS)).toBe(sql);
});
