/**
 * The demo SKUs seeded on deploy and in local runs. Stock is ample so load runs do not sell
 * out, except `SKU-SOLD-OUT`, which has none, to show the out-of-stock path.
 */
export interface CatalogueEntry {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly initialStock: number;
}

/** The seeded catalogue (at most 25 entries: it is written with one BatchWriteItem). */
export const DEMO_CATALOGUE: readonly CatalogueEntry[] = [
  { sku: 'SKU-KEYBOARD', name: 'Mechanical keyboard', unitPriceCents: 8_900, initialStock: 1_000_000 },
  { sku: 'SKU-MOUSE', name: 'Wireless mouse', unitPriceCents: 2_900, initialStock: 1_000_000 },
  { sku: 'SKU-MONITOR', name: '27" monitor', unitPriceCents: 32_900, initialStock: 1_000_000 },
  { sku: 'SKU-LAPTOP', name: 'Laptop', unitPriceCents: 189_900, initialStock: 1_000_000 },
  { sku: 'SKU-CABLE', name: 'USB-C cable', unitPriceCents: 900, initialStock: 1_000_000 },
  { sku: 'SKU-SOLD-OUT', name: 'Limited edition (sold out)', unitPriceCents: 4_900, initialStock: 0 },
];

/** The inventory-table item of a catalogue entry as first seeded: all stock available. */
export function inventoryItemOf(entry: CatalogueEntry): Record<string, string | number> {
  return { sku: entry.sku, name: entry.name, unitPriceCents: entry.unitPriceCents, available: entry.initialStock, reserved: 0, shipped: 0 };
}
