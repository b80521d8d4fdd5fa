/**
 * The orders a soak places: a seeded mix of the pipeline's paths, each order knowing how it
 * must end, so the invariants can check the outcome and not only that there is one.
 * About 70% are fulfilled, 10% are out of stock, 20% are declined (card declined, insufficient
 * funds, or above the gateway's amount limit).
 */
import type { Order, OrderLine } from '#shared/contracts';
import { AMOUNT_LIMIT_CENTS } from '#shared/payment-gateway';
import { DEMO_CATALOGUE } from '#shared/demo-catalogue';
import { SeededRandom } from '#cloud/faults/prng';
import type { ExpectedOutcome } from '#local/soak/invariants';

/** An order to place, its Idempotency-Key, and how it must end. */
export interface PlannedOrder {
  readonly order: Order;
  readonly idempotencyKey: string;
  readonly expected: ExpectedOutcome;
}

/** SKUs in stock and cheap enough that a few units stay under the amount limit. */
const EVERYDAY_SKUS = ['SKU-KEYBOARD', 'SKU-MOUSE', 'SKU-MONITOR', 'SKU-CABLE'] as const;
const SOLD_OUT_SKU = 'SKU-SOLD-OUT';
const PRICEY_SKU = 'SKU-LAPTOP';

/**
 * `count` orders, the same for the same seed (so are their Idempotency-Keys, hence their order
 * ids): a failing soak can be placed again exactly.
 */
export function planOrders(count: number, seed: number): PlannedOrder[] {
  const random = new SeededRandom(seed);
  const priceOf = new Map(DEMO_CATALOGUE.map((entry) => [entry.sku, entry.unitPriceCents]));
  const overLimitQuantity = Math.floor(AMOUNT_LIMIT_CENTS / (priceOf.get(PRICEY_SKU) ?? 1)) + 1;
  return Array.from({ length: count }, (_, index): PlannedOrder => {
    const everyday = everydayLines(random);
    const roll = random.next();
    const customer = { customerId: `soak-customer-${index % 97}`, email: `customer${index % 97}@example.com`, name: `Soak customer ${index % 97}` };
    const base = { customer, shippingAddress: { line1: `${index} Soak Street`, city: 'Springfield', postalCode: '12345', country: 'US' }, paymentToken: 'tok_visa', items: everyday };
    const idempotencyKey = `soak-${seed}-${index}`;
    if (roll < 0.7) return { order: base, idempotencyKey, expected: { status: 'notified' } };
    if (roll < 0.8) return { order: { ...base, items: [...everyday.slice(0, 1), { sku: SOLD_OUT_SKU, quantity: 1 }] }, idempotencyKey, expected: { status: 'cancelled', reasonCode: 'OUT_OF_STOCK' } };
    if (roll < 0.88) return { order: { ...base, paymentToken: 'tok_decline' }, idempotencyKey, expected: { status: 'cancelled', reasonCode: 'CARD_DECLINED' } };
    if (roll < 0.94) return { order: { ...base, paymentToken: 'tok_insufficient_funds' }, idempotencyKey, expected: { status: 'cancelled', reasonCode: 'INSUFFICIENT_FUNDS' } };
    return { order: { ...base, items: [{ sku: PRICEY_SKU, quantity: overLimitQuantity }] }, idempotencyKey, expected: { status: 'cancelled', reasonCode: 'AMOUNT_LIMIT_EXCEEDED' } };
  });
}

/** One to three distinct everyday SKUs, one to three units each (well under the amount limit). */
function everydayLines(random: SeededRandom): OrderLine[] {
  const skus = [...EVERYDAY_SKUS];
  return Array.from({ length: 1 + random.below(3) }, () => {
    const [sku = EVERYDAY_SKUS[0]] = skus.splice(random.below(skus.length), 1);
    return { sku, quantity: 1 + random.below(3) };
  });
}
