import { describe, expect, it } from 'vitest';
import { DEMO_CATALOGUE } from '#shared/demo-catalogue';
import { AMOUNT_LIMIT_CENTS } from '#shared/payment-gateway';
import { PIPELINE_GRAPH } from '#shared/pipeline-graph';
import { ORDER_KINDS, planOrders, plannedOrder, type OrderKindName } from '#local/order-mix';

const priceOf = new Map(DEMO_CATALOGUE.map((entry) => [entry.sku, entry.unitPriceCents]));
const amountOf = (items: readonly { sku: string; quantity: number }[]) => items.reduce((sum, item) => sum + item.quantity * (priceOf.get(item.sku) ?? 0), 0);

describe('the order mix', () => {
  it('plans the same orders, Idempotency-Keys included, for the same seed, and other orders for another', () => {
    // Act
    const [first, again, other] = [planOrders(50, 7), planOrders(50, 7), planOrders(50, 8)];

    // Assess
    expect(again).toEqual(first);
    expect(other.map((order) => order.order)).not.toEqual(first.map((order) => order.order));
    expect(plannedOrder(42, 7)).toEqual(first[42]);
    expect(new Set(first.map((order) => order.idempotencyKey)).size).toBe(50);
  });

  it('spreads the kinds evenly: any 100 orders in a row hold each kind within 2 of its share', () => {
    // Prepare
    const orders = planOrders(2_000, 714_398_181);

    // Act
    const worst = Math.max(
      ...Array.from({ length: 191 }, (_, window) => orders.slice(window * 10, window * 10 + 100)).flatMap((window) =>
        (Object.keys(ORDER_KINDS) as OrderKindName[]).map((kind) => Math.abs(window.filter((order) => order.kind === kind).length - ORDER_KINDS[kind].share * 100)),
      ),
    );

    // Assess
    expect(worst).toBeLessThanOrEqual(2);
    expect(Object.values(ORDER_KINDS).reduce((sum, kind) => sum + kind.share, 0)).toBeCloseTo(1, 10);
  });

  it('builds each kind to take its path: a sold-out line, a declining card, an amount over the limit', () => {
    // Act
    const orders = planOrders(200, 1);
    const ofKind = (kind: OrderKindName) => orders.filter((order) => order.kind === kind);

    // Assess
    for (const order of ofKind('fulfilled')) {
      expect(order.order.paymentToken).toMatch(/^tok_visa_[0-9a-f]{16}$/);
      expect(amountOf(order.order.items)).toBeLessThanOrEqual(AMOUNT_LIMIT_CENTS);
      expect(order.order.items.every((item) => item.sku !== 'SKU-SOLD-OUT')).toBe(true);
    }
    for (const order of ofKind('outOfStock')) expect(order.order.items.map((item) => item.sku)).toContain('SKU-SOLD-OUT');
    for (const order of ofKind('cardDeclined')) expect(order.order.paymentToken).toMatch(/^tok_decline_[0-9a-f]{16}$/);
    for (const order of ofKind('insufficientFunds')) expect(order.order.paymentToken).toMatch(/^tok_insufficient_funds_[0-9a-f]{16}$/);
    expect(new Set(orders.map((order) => order.order.paymentToken)).size).toBe(orders.length);
    for (const order of ofKind('overLimit')) expect(amountOf(order.order.items)).toBeGreaterThan(AMOUNT_LIMIT_CENTS);
    for (const order of orders) expect(order.path).toEqual(PIPELINE_GRAPH.path(ORDER_KINDS[order.kind].choices));
  });
});
