import { domainEvent, type DomainEvent, type Rejection } from '#shared/contracts';
import { InsufficientStockError } from '#shared/errors';
import type { Catalogue, StepLedger } from '#shared/ports';
import type { StepLogic } from '#shared/steps/step';

/** What reserving inventory needs. */
export interface ReserveInventoryDeps {
  readonly catalogue: Catalogue;
  readonly ledger: StepLedger;
}

/**
 * Reserves every line of a placed order, all or nothing, and prices it from the catalogue.
 * Unknown SKUs and short stock reject the order with the SKUs concerned.
 */
export const reserveInventory: StepLogic<'reserve-inventory', ReserveInventoryDeps> = async ({ detail }, { catalogue, ledger }) => {
  const { orderId, order } = detail;
  const reject = async (reason: Rejection): Promise<DomainEvent[]> => [
    await ledger.record(orderId, 'reserve-inventory', domainEvent('InventoryRejected', { schemaVersion: 1, orderId, customer: order.customer, reason })),
  ];

  const levels = await catalogue.stockLevels(order.items.map((item) => item.sku));
  const unknown = order.items.filter((item) => !levels.has(item.sku)).map((item) => item.sku);
  if (unknown.length > 0) return reject({ code: 'UNKNOWN_SKU', message: `unknown SKU(s): ${unknown.join(', ')}`, skus: unknown });

  const short = order.items.filter((item) => (levels.get(item.sku)?.available ?? 0) < item.quantity).map((item) => item.sku);
  if (short.length > 0) return reject(outOfStock(short));

  const amountCents = order.items.reduce((sum, item) => sum + item.quantity * (levels.get(item.sku)?.unitPriceCents ?? 0), 0);
  const reserved = domainEvent('InventoryReserved', { schemaVersion: 1, orderId, order, amountCents, currency: 'USD' });
  const changes = order.items.map((item) => ({ sku: item.sku, availableDelta: -item.quantity, reservedDelta: item.quantity, shippedDelta: 0 }));
  try {
    return [await ledger.record(orderId, 'reserve-inventory', reserved, changes)];
  } catch (error) {
    // Stock ran short between the read and the transaction: another order took it.
    if (error instanceof InsufficientStockError) return reject(outOfStock(error.skus));
    throw error;
  }
};

function outOfStock(skus: readonly string[]): Rejection {
  return { code: 'OUT_OF_STOCK', message: `out of stock: ${skus.join(', ')}`, skus: [...skus] };
}
