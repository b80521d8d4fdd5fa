/**
 * The event contracts of the order pipeline: for every event its `source`, its `detail-type`
 * and a zod schema of its `detail`. The CDK rules and the handlers both import this module, so
 * a rule and its consumer cannot drift apart.
 */
// zod/mini validates with the same core, checks and messages as `zod`, without the classic
// schema classes (a method for every refinement, JSON Schema output). Every handler loads this
// module at a cold start: with classic zod, loading it was most of the handlers' own init time
// (89 KiB of bundle, about 11 ms of CPU); with mini it is 28 KiB and about 4 ms.
// A namespace import lets esbuild drop the parts of zod we do not use (`z` holds all of them).
// @see https://zod.dev/packages/mini
import { en } from 'zod/locales';
import * as z from 'zod/mini';

// Unlike `zod`, zod/mini sets no locale: without one, every issue would read "Invalid input".
z.config(en());

/**
 * Version of every event detail's shape; bump it when a shape changes. Version 2 carries no
 * personal data (see {@link PlacedOrderSchema}); a version 1 event fails validation and is parked
 * with the reason: its order has no contact kept for the steps that need one.
 */
export const SCHEMA_VERSION = 2 as const;

/** The `source` of each service that publishes on the bus. */
export const EventSource = {
  orders: 'shop.orders',
  inventory: 'shop.inventory',
  payments: 'shop.payments',
  shipping: 'shop.shipping',
  notifications: 'shop.notifications',
} as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

/** An order id: a UUID. */
export const OrderIdSchema = z.string().check(z.uuid());
const schemaVersion = z.literal(SCHEMA_VERSION);

/** A line of an order: which SKU and how many units. */
export const OrderLineSchema = z.object({
  sku: z.string().check(z.regex(/^[A-Z0-9-]{1,64}$/, 'must be 1-64 upper-case letters, digits or dashes')),
  quantity: z.number().check(z.int(), z.minimum(1), z.maximum(1000)),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

/** Who placed the order and where to reach them: personal data, kept in the order's contact (see {@link PlacedOrderSchema}). */
export const CustomerSchema = z.object({
  customerId: z.string().check(z.minLength(1), z.maxLength(128)),
  email: z.string().check(z.email()),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** Where the parcel goes. */
export const ShippingAddressSchema = z.object({
  line1: z.string().check(z.minLength(1), z.maxLength(200)),
  line2: z.optional(z.string().check(z.maxLength(200))),
  city: z.string().check(z.minLength(1), z.maxLength(100)),
  postalCode: z.string().check(z.minLength(1), z.maxLength(20)),
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "DE"')),
});
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

/**
 * At most this many lines per order: reserving them is one DynamoDB transaction of one write
 * per line plus the step record, and a transaction holds at most 100 actions.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export const MAX_ORDER_LINES = 50;

const OrderItemsSchema = z.array(OrderLineSchema).check(
  z.minLength(1),
  z.maxLength(MAX_ORDER_LINES),
  z.refine((items) => new Set(items.map((item) => item.sku)).size === items.length, {
    message: 'each sku may appear only once',
  }),
);

/** A card's payment token, as the customer's payment provider issued it: a secret. */
export const PaymentTokenSchema = z.string().check(z.regex(/^tok_[A-Za-z0-9_]{1,64}$/, 'must look like "tok_..."'));

/** The id of a payment intent: where place-order keeps an order's payment token for capture-payment alone. */
export const PaymentIntentIdSchema = z.string().check(z.regex(/^pi_[0-9a-f]{32}$/, 'must look like "pi_" and 32 hex digits'));

/**
 * The order as the customer placed it, with the customer's personal data and payment token:
 * place-order's input, never an event's (see {@link PlacedOrderSchema}).
 */
export const OrderSchema = z.object({ customer: CustomerSchema, items: OrderItemsSchema, shippingAddress: ShippingAddressSchema, paymentToken: PaymentTokenSchema });
export type Order = z.infer<typeof OrderSchema>;

/**
 * The placed order, as the events carry it: its lines, whose it is (the customer's id, a token's
 * opaque `sub`) and the id of its payment intent. Nothing personal and nothing secret: the
 * events also go to the archive, the ledger and any DLQ. The payment token stays in the payment
 * intent, which only capture-payment reads; the customer's name, e-mail and address stay in the
 * order's contact, which only ship-order and notify-customer read.
 */
export const PlacedOrderSchema = z.object({ customerId: CustomerSchema.shape.customerId, items: OrderItemsSchema, paymentIntentId: PaymentIntentIdSchema });
export type PlacedOrder = z.infer<typeof PlacedOrderSchema>;

/**
 * The body of `POST /orders`: the order without who places it. The customer's id and e-mail
 * come from the caller's token (its `sub` and `email` claims), never from the body; members
 * the body names anyway (`customer.customerId`, `customer.email`) are dropped, unread.
 */
export const OrderRequestSchema = z.object({
  customer: z.object({ name: CustomerSchema.shape.name }),
  items: OrderItemsSchema,
  shippingAddress: ShippingAddressSchema,
  paymentToken: PaymentTokenSchema,
});
export type OrderRequest = z.infer<typeof OrderRequestSchema>;

/** Why an order was turned down; `code` is for machines, `message` for people. */
export const RejectionSchema = z.object({
  code: z.enum([
    'OUT_OF_STOCK',
    'UNKNOWN_SKU',
    'CARD_DECLINED',
    'INSUFFICIENT_FUNDS',
    'AMOUNT_LIMIT_EXCEEDED',
  ]),
  message: z.string(),
  skus: z.optional(z.array(z.string())),
});
export type Rejection = z.infer<typeof RejectionSchema>;

const base = { schemaVersion, orderId: OrderIdSchema };

/** A shipment as the carrier knows it. */
export const ShipmentSchema = z.object({
  carrier: z.string(),
  trackingNumber: z.string(),
});
export type Shipment = z.infer<typeof ShipmentSchema>;

/** Each event's detail schema, keyed by its detail-type. */
export const DetailSchemas = {
  OrderPlaced: z.object({ ...base, order: PlacedOrderSchema, placedAt: z.string().check(z.iso.datetime()) }),
  InventoryReserved: z.object({
    ...base,
    order: PlacedOrderSchema,
    /** Total price in minor units (cents), priced from the catalogue at reservation. */
    amountCents: z.number().check(z.int(), z.nonnegative()),
    currency: z.literal('USD'),
  }),
  InventoryRejected: z.object({ ...base, reason: RejectionSchema }),
  PaymentCaptured: z.object({
    ...base,
    order: PlacedOrderSchema,
    paymentId: z.string(),
    amountCents: z.number().check(z.int(), z.nonnegative()),
  }),
  PaymentDeclined: z.object({
    ...base,
    order: PlacedOrderSchema,
    reason: RejectionSchema,
  }),
  InventoryReleased: z.object({ ...base, reason: RejectionSchema }),
  OrderShipped: z.object({ ...base, shipment: ShipmentSchema }),
  OrderCancelled: z.object({ ...base, reason: RejectionSchema }),
  CustomerNotified: z.object({ ...base, outcome: z.enum(['shipped', 'cancelled']), channel: z.literal('email') }),
} as const;

/** Every event's detail-type. */
export type DetailType = keyof typeof DetailSchemas;
/** The detail of the event with detail-type `T`. */
export type Detail<T extends DetailType> = z.infer<(typeof DetailSchemas)[T]>;

/** Which service publishes each event (the pair EventBridge rules match on). */
export const EventSourceOf = {
  OrderPlaced: EventSource.orders,
  InventoryReserved: EventSource.inventory,
  InventoryRejected: EventSource.inventory,
  PaymentCaptured: EventSource.payments,
  PaymentDeclined: EventSource.payments,
  InventoryReleased: EventSource.inventory,
  OrderShipped: EventSource.shipping,
  OrderCancelled: EventSource.orders,
  CustomerNotified: EventSource.notifications,
} as const satisfies Record<DetailType, EventSource>;

/** Every detail-type, in the order an order's life can go through them. */
export const DETAIL_TYPES = Object.keys(DetailSchemas) as DetailType[];

/** An event ready to publish. */
export interface DomainEvent<T extends DetailType = DetailType> {
  readonly detailType: T;
  readonly detail: Detail<T>;
}

/** Builds a typed event; the source comes from the contract, never from the caller. */
export function domainEvent<T extends DetailType>(detailType: T, detail: Detail<T>): DomainEvent<T> {
  return { detailType, detail };
}

/**
 * The EventBridge pattern that matches exactly the given detail-types, each with the source the
 * contract gives it. Rules are built only from this, so they always agree with the publishers.
 */
export function patternFor(detailTypes: readonly DetailType[]): {
  source: EventSource[];
  'detail-type': DetailType[];
} {
  const sources = [...new Set(detailTypes.map((type) => EventSourceOf[type]))];
  return { source: sources, 'detail-type': [...detailTypes] };
}

/** The envelope EventBridge delivers to an SQS target (the full event). */
export const EventEnvelopeSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  time: z.string(),
  detail: z.unknown(),
  'replay-name': z.optional(z.string()),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
