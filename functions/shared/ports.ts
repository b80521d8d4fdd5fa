/**
 * The ports the domain talks to. Adapters in `adapters/` implement them with injected AWS SDK v3
 * clients; the domain never imports `@aws-sdk/*`.
 */
import type { Customer, DomainEvent, ShippingAddress } from '#shared/contracts';
import type { OrderView } from '#shared/order-view';
import type { Port } from '#shared/pipeline-declaration';

/** Puts events on the bus; throws `PublishError` when any event could not be put. */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** A change to one SKU's stock counters, applied atomically with a step's record. */
export interface StockChange {
  readonly sku: string;
  readonly availableDelta: number;
  readonly reservedDelta: number;
  readonly shippedDelta: number;
}

/** What the catalogue knows of a SKU. */
export interface StockLevel {
  readonly sku: string;
  readonly available: number;
  readonly unitPriceCents: number;
}

/**
 * Records each step's outcome for an order exactly once, together with the stock changes it
 * implies (one transaction). A duplicate delivery finds the recorded outcome and republishes it.
 */
export interface StepLedger {
  /** The outcome this step already recorded for the order, if any. */
  find(orderId: string, step: string): Promise<DomainEvent | undefined>;
  /**
   * Records the outcome and applies the stock changes, all or nothing. Returns the outcome
   * that stands: this one, or the one a concurrent delivery recorded first. Throws
   * `InsufficientStockError` when a change would take a SKU's available stock below zero.
   */
  record(orderId: string, step: string, outcome: DomainEvent, stockChanges?: readonly StockChange[]): Promise<DomainEvent>;
}

/** Reads the catalogue's stock levels and prices. */
export interface Catalogue {
  /** The stock level of each known SKU among `skus`; unknown SKUs are absent. */
  stockLevels(skus: readonly string[]): Promise<Map<string, StockLevel>>;
}

/** Reads order read models. */
export interface OrderViewReader {
  get(orderId: string): Promise<OrderView | undefined>;
}

/** Where a page of a customer's orders ends: the last order it holds. */
export interface OrderPosition {
  readonly placedAt: string;
  readonly orderId: string;
}

/** What a list of a customer's orders shows of each: enough to pick one and `GET /orders/{id}` it. */
export type OrderSummary = Pick<OrderView, 'orderId' | 'status' | 'updatedAt'> & { readonly placedAt: string };

/** One page of a customer's orders, newest first. */
export interface OrderPage {
  readonly orders: readonly OrderSummary[];
  /** Where the next page starts; absent when this page is the last. */
  readonly next?: OrderPosition;
}

/** Lists a customer's orders. */
export interface OrderLister {
  /** Up to `limit` of `customerId`'s orders, newest first, starting after `after` (from the newest when absent). */
  listByCustomer(customerId: string, page: { readonly limit: number; readonly after?: OrderPosition }): Promise<OrderPage>;
}

/** Stores order read models with optimistic concurrency. */
export interface OrderViewStore extends OrderViewReader {
  /** Saves `view`, which must be one version ahead of the stored item; else `ConcurrentUpdateError`. */
  save(view: OrderView): Promise<void>;
}

/** An order an Idempotency-Key placed: its id, and the fingerprint of the request that placed it. */
export interface IdempotencyClaim {
  readonly orderId: string;
  readonly fingerprint: string;
}

/** A customer's Idempotency-Keys, each naming the one order it placed, for a limited time. */
export interface IdempotencyKeys {
  /**
   * Claims `key` of `customerId` for `candidate`, unless the key already names an order that has
   * not expired: then that claim is returned, and `candidate` is not stored.
   */
  claim(customerId: string, key: string, candidate: IdempotencyClaim): Promise<{ readonly claimed: true } | ({ readonly claimed: false } & IdempotencyClaim)>;
}

/** An order's payment token, kept for capture-payment alone until the payment is captured or declined. */
export interface PaymentIntent {
  readonly paymentIntentId: string;
  /** The order the token pays for: an intent pays for no other. */
  readonly orderId: string;
  readonly paymentToken: string;
}

/** Keeps payment tokens out of the events: each order's token goes into an intent of its own. */
export interface PaymentIntentIssuer {
  /** Keeps `paymentToken` for order `orderId` in a new intent, for a limited time, and returns the intent's id. */
  issue(orderId: string, paymentToken: string): Promise<string>;
}

/** Deletes payment intents whose token has no further use. */
export interface PaymentIntentDiscarder {
  /** Deletes the intent; deleting one that is gone already is no error. */
  discard(paymentIntentId: string): Promise<void>;
}

/** Reads payment intents, and deletes each once its token has been used. */
export interface PaymentIntentRedeemer extends PaymentIntentDiscarder {
  /** The intent, unless there is none (never issued, already used, or expired). */
  find(paymentIntentId: string): Promise<PaymentIntent | undefined>;
}

/**
 * An order's personal data: whom to tell about it and where it goes. Kept apart from the events
 * (which go to the archive, the ledger and DLQs), for the steps that need it alone.
 */
export interface OrderContact extends Pick<Customer, 'name' | 'email'> {
  readonly shippingAddress: ShippingAddress;
}

/** Keeps each placed order's contact, for a limited time. */
export interface OrderContactKeeper {
  /** Keeps `contact` as order `orderId`'s (again, for a retried order: same order, same contact). */
  keep(orderId: string, contact: OrderContact): Promise<void>;
}

/** Reads order contacts. */
export interface OrderContactReader {
  /** The order's contact, unless there is none (never kept, or expired). */
  find(orderId: string): Promise<OrderContact | undefined>;
}

/** The port behind each name the pipeline's declaration gives a function in `uses`. */
export interface DeclaredPorts extends Record<Port, unknown> {
  readonly catalogue: Catalogue;
  readonly orderViews: OrderViewStore;
  readonly orderViewReader: OrderViewReader;
  readonly orderLister: OrderLister;
  readonly idempotencyKeys: IdempotencyKeys;
  readonly paymentIntentIssuer: PaymentIntentIssuer;
  readonly paymentIntentDiscarder: PaymentIntentDiscarder;
  readonly paymentIntentRedeemer: PaymentIntentRedeemer;
  readonly orderContactKeeper: OrderContactKeeper;
  readonly orderContactReader: OrderContactReader;
}
