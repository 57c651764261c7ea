import type { TableId } from "../../contracts/table";
import type { Row, Warehouse } from "../../functions/runtime/warehouse";
import type { ReferenceData } from "../generator/reference-data";

/** Inserts rows a run depends on; a rejected row fails the run (it would skew every count after it). */
export async function loadTable(warehouse: Warehouse, table: TableId, rows: Row[]): Promise<void> {
  const result = await warehouse.insertRows(table, rows);
  if (result.failed.length > 0) throw new Error(`loading ${table}: ${result.failed.length} rows rejected, e.g. ${result.failed[0].reason}`);
}

/** The ref tables the enrichment function reads at cold start (the generator's own price column is not one of them). */
export async function loadReferenceTables(warehouse: Warehouse, reference: ReferenceData): Promise<void> {
  await loadTable(warehouse, "ref.products", reference.products.map(({ price_eur: _price, ...row }) => row));
  await loadTable(warehouse, "ref.stores", reference.stores);
  await loadTable(warehouse, "ref.fx_rates", reference.fxRates);
}
