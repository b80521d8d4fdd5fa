import { domainEvent, SCHEMA_VERSION, type Rejection } from '#shared/contracts';
import { InsufficientStockError } from '#shared/errors';
import type { StepLogic } from '#shared/steps/step';

/**
 * Reserves every line of a placed order, all or nothing, and prices it from the catalogue.
 * Unknown SKUs and short stock reject the order with the SKUs concerned; a rejected order will
 * never be paid, so its payment intent is deleted once the rejection is recorded (a redelivery
 * deletes it again, which is no error).
 */
export const reserveInventory: StepLogic<'reserve-inventory'> = async ({ detail }, { catalogue, ledger, paymentIntentDiscarder }) => {
  const { orderId, order } = detail;
  const reject = async (reason: Rejection) => {
    const recorded = await ledger.record(domainEvent('InventoryRejected', { schemaVersion: SCHEMA_VERSION, orderId, reason }));
    if (recorded.detailType === 'InventoryRejected') await paymentIntentDiscarder.discard(order.paymentIntentId);
    return [recorded];
  };

  const levels = await catalogue.stockLevels(order.items.map((item) => item.sku));
  const unknown = order.items.filter((item) => !levels.has(item.sku)).map((item) => item.sku);
  if (unknown.length > 0) return reject({ code: 'UNKNOWN_SKU', message: `unknown SKU(s): ${unknown.join(', ')}`, skus: unknown });

  const short = order.items.filter((item) => (levels.get(item.sku)?.available ?? 0) < item.quantity).map((item) => item.sku);
  if (short.length > 0) return reject(outOfStock(short));

  const amountCents = order.items.reduce((sum, item) => sum + item.quantity * (levels.get(item.sku)?.unitPriceCents ?? 0), 0);
  const reserved = domainEvent('InventoryReserved', { schemaVersion: SCHEMA_VERSION, orderId, order, amountCents, currency: 'USD' });
  try {
    return [await ledger.record(reserved, { lines: order.items })];
  } catch (error) {
    // Stock ran short between the read and the transaction: another order took it.
    if (error instanceof InsufficientStockError) return reject(outOfStock(error.skus));
    throw error;
  }
};

function outOfStock(skus: readonly string[]): Rejection {
  return { code: 'OUT_OF_STOCK', message: `out of stock: ${skus.join(', ')}`, skus: [...skus] };
}
