/**
 * The orders the end-to-end bench places: 70% fulfilled, 10% out of stock, 20% declined (half
 * with the declined card `tok_decline`, half over the $10,000 amount limit), spread evenly
 * through the run so every rate step sees the same mix. See README "The simulated world".
 */
import type { Order } from '#shared/contracts';
import { OrderKind } from './dynamodb-units.ts';

/** One order to place, the path it should take and its number of order lines. */
export interface PlannedOrder {
  readonly kind: OrderKind;
  readonly order: Order;
  /** Order lines (distinct SKUs): the inventory items its steps read and write. */
  readonly skuCount: number;
}

/** The kind of the `index`-th order: out of every ten, 7 fulfilled, 1 out of stock, 2 declined. */
export function plannedOrder(index: number): PlannedOrder {
  const customer = { customerId: `bench-${index % 100}`, email: `bench-${index % 100}@example.com`, name: 'Bench Customer' };
  const base = {
    customer,
    shippingAddress: { line1: '1 Bench Street', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    paymentToken: 'tok_visa',
    items: [
      { sku: 'SKU-KEYBOARD', quantity: 1 },
      { sku: 'SKU-MOUSE', quantity: 2 },
    ],
  };
  switch (index % 10) {
    case 7:
      return { kind: OrderKind.outOfStock, order: { ...base, items: [{ sku: 'SKU-SOLD-OUT', quantity: 1 }] }, skuCount: 1 };
    case 8:
      return { kind: OrderKind.declined, order: { ...base, paymentToken: 'tok_decline' }, skuCount: 2 };
    case 9:
      // 6 x $1,899.00 = $11,394.00, above the gateway's $10,000.00 limit.
      return { kind: OrderKind.declined, order: { ...base, items: [{ sku: 'SKU-LAPTOP', quantity: 6 }] }, skuCount: 1 };
    default:
      return { kind: OrderKind.fulfilled, order: base, skuCount: 2 };
  }
}
