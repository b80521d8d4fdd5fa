/**
 * Accepting an order: publish first, then project. `OrderPlaced` goes on the bus first; once
 * PutEvents succeeds EventBridge holds the order durably, so no database write can be
 * stranded without its event. Then the order's read model is written from that same event,
 * so `GET /orders/{id}` answers at once; if that write fails or loses a race, the projection
 * step builds the view from the event anyway. With an `Idempotency-Key`, the order id derives
 * from the customer and the key, so a retried request names the same order; a different body
 * under the same key is refused.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { domainEvent, type DomainEvent, type Order } from '#shared/contracts';
import { ConcurrentUpdateError, IdempotencyKeyReuseError } from '#shared/errors';
import { applyEvent } from '#shared/order-view';
import type { EventPublisher, OrderViewStore } from '#shared/ports';

/** What placing an order needs. */
export interface PlaceOrderDeps {
  readonly publisher: EventPublisher;
  readonly orderViews: OrderViewStore;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The accepted order. `replayed` is true when an earlier request with the same key placed it. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly replayed: boolean;
  /** Why the read model could not be written now (the projection step will write it). */
  readonly projectionError?: unknown;
}

/** Places `order`; throws `IdempotencyKeyReuseError` when the key already placed a different order. */
export async function placeOrder(order: Order, idempotencyKey: string | undefined, deps: PlaceOrderDeps): Promise<PlacedOrder> {
  const orderId = idempotencyKey === undefined ? randomUUID() : orderIdFor(order.customer.customerId, idempotencyKey);
  if (idempotencyKey !== undefined) {
    const existing = await deps.orderViews.get(orderId);
    if (existing?.order !== undefined) {
      if (!sameOrder(existing.order, order)) throw new IdempotencyKeyReuseError(idempotencyKey, { orderId });
      return { orderId, replayed: true };
    }
  }
  // Not yet projected (or never placed): publishing again is safe, every step is idempotent per order.
  const placedAt = (deps.now ?? (() => new Date()))().toISOString();
  const placed = domainEvent('OrderPlaced', { schemaVersion: 1, orderId, order, placedAt });
  await deps.publisher.publish([placed]);
  const projectionError = await projectPlacedOrder(placed, deps.orderViews);
  return { orderId, replayed: false, ...(projectionError !== undefined ? { projectionError } : {}) };
}

/**
 * Writes the new order's read model and returns why it could not, if it could not. The event
 * is already on the bus, so a failure only delays the view until the projection step writes it;
 * a view the projection wrote first is no failure at all.
 */
async function projectPlacedOrder(placed: DomainEvent<'OrderPlaced'>, views: OrderViewStore): Promise<unknown> {
  // EventBridge times events to the second; the timeline keeps one precision.
  const time = placed.detail.placedAt.replace(/\.\d{3}Z$/, 'Z');
  const view = applyEvent(undefined, { detailType: 'OrderPlaced', detail: placed.detail, time });
  if (!view) return undefined;
  try {
    await views.save({ ...view, version: 1 });
    return undefined;
  } catch (error) {
    return error instanceof ConcurrentUpdateError ? undefined : error;
  }
}

/** A name-based (version 5 style) UUID of the customer and key: the same pair always names the same order. */
export function orderIdFor(customerId: string, idempotencyKey: string): string {
  const bytes = createHash('sha1').update(`order-pipeline:${customerId}:${idempotencyKey}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sameOrder(a: Order, b: Order): boolean {
  // Key order does not matter; the stored copy has no undefined members, as parsed JSON has none.
  return isDeepStrictEqual(a, b);
}
