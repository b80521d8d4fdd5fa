/**
 * Accepting an order: publish first, then project. `OrderPlaced` goes on the bus first; once
 * PutEvents succeeds EventBridge holds the order durably, so no database write can be
 * stranded without its event. Then the order's read model is written from that same event,
 * so `GET /orders/{id}` answers at once; if that write fails or loses a race, the projection
 * step builds the view from the event anyway. Order ids are random. With an `Idempotency-Key`,
 * the customer's key is claimed for the new order id first (conditionally, so one claim wins),
 * and a retried request finds the order its key names; a different body under the same key is
 * refused. Keys are the customer's own: the same key from another customer is another claim.
 * Neither the payment token nor the customer's personal data is published: the token is kept in
 * a payment intent for capture-payment, the name, e-mail and address in the order's contact for
 * ship-order and notify-customer, both written before the event that names the order.
 */
import { createHash, randomUUID } from 'node:crypto';
import { domainEvent, SCHEMA_VERSION, type DomainEvent, type Order } from '#shared/contracts';
import { ConcurrentUpdateError, IdempotencyKeyReuseError } from '#shared/errors';
import { applyEvent } from '#shared/order-view';
import type { EventPublisher, IdempotencyKeys, OrderContactKeeper, OrderViewStore, PaymentIntentIssuer } from '#shared/ports';

/** What placing an order needs. */
export interface PlaceOrderDeps {
  readonly publisher: EventPublisher;
  readonly orderViews: OrderViewStore;
  readonly idempotencyKeys: IdempotencyKeys;
  readonly paymentIntentIssuer: PaymentIntentIssuer;
  readonly orderContactKeeper: OrderContactKeeper;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The accepted order. `replayed` is true when an earlier request with the same key placed it. */
export interface OrderAcceptance {
  readonly orderId: string;
  readonly replayed: boolean;
  /** Why the read model could not be written now (the projection step will write it). */
  readonly projectionError?: unknown;
}

/** Places `order`; throws `IdempotencyKeyReuseError` when the customer's key already placed a different order. */
export async function placeOrder(order: Order, idempotencyKey: string | undefined, deps: PlaceOrderDeps): Promise<OrderAcceptance> {
  let orderId: string = randomUUID();
  if (idempotencyKey !== undefined) {
    const fingerprint = fingerprintOf(order);
    const claim = await deps.idempotencyKeys.claim(order.customer.customerId, idempotencyKey, { orderId, fingerprint });
    if (!claim.claimed) {
      if (claim.fingerprint !== fingerprint) throw new IdempotencyKeyReuseError(idempotencyKey, { orderId: claim.orderId });
      orderId = claim.orderId;
      // Projected: its event was published. Not yet (or the first request failed to publish):
      // publishing again is safe, every step is idempotent per order.
      if ((await deps.orderViews.get(orderId))?.order !== undefined) return { orderId, replayed: true };
    }
  }
  // Not yet projected (or never placed): publishing again is safe, every step is idempotent per order.
  // The payment token goes into an intent that only capture-payment reads, the personal data into
  // the order's contact; the events name the intent and the customer's id. A retry that publishes
  // again writes the same intent and contact again.
  const { customer, items, shippingAddress, paymentToken } = order;
  const [paymentIntentId] = await Promise.all([
    deps.paymentIntentIssuer.issue(orderId, paymentToken),
    deps.orderContactKeeper.keep(orderId, { name: customer.name, email: customer.email, shippingAddress }),
  ]);
  const placedAt = (deps.now ?? (() => new Date()))().toISOString();
  const placed = domainEvent('OrderPlaced', { schemaVersion: SCHEMA_VERSION, orderId, order: { customerId: customer.customerId, items, paymentIntentId }, placedAt });
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

/**
 * What tells a retry from a reuse of the key: a SHA-256 of the order with its members in a fixed
 * order (so the members' order in the request does not matter). The order itself is not kept with
 * the key: its payment token has no place there.
 */
function fingerprintOf(order: Order): string {
  return createHash('sha256').update(canonicalJson(order)).digest('base64url');
}

/** JSON with object members sorted by name and undefined members left out, as parsed JSON has none. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).filter(([, member]) => member !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
