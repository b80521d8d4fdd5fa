/**
 * The order pipeline, declared once: every function, what it consumes and requires, what it
 * produces and what that means for the order, which ports (tables) it uses, how it batches.
 * Everything else is computed from this: the rules, queues and event source mappings, each
 * function's environment and IAM grants (`pipeline-access.ts`), each step's handler and its
 * prerequisite checks (`runtime/`), the read model's statuses (`order-view.ts`), when an order is
 * settled, the paths an order can take and their DynamoDB cost (`bench/dynamodb-units.ts`), and
 * the README's event catalog and diagram. README "Adding a step" walks through a change.
 */
import { DETAIL_TYPES, type DetailType } from '#shared/contracts';
import { definePipeline, Port, Prerequisite, StockCounter } from '#shared/pipeline-declaration';

/** The projection applies every event there is, whoever produced it. */
const everyEvent = Object.fromEntries(DETAIL_TYPES.map((type) => [type, Prerequisite.none])) as { readonly [E in DetailType]: typeof Prerequisite.none };

/** The declaration. Functions are named as their folders under `functions/`. */
export const PIPELINE = definePipeline({
  http: {
    'place-order': {
      description: 'POST /orders: accepts an order, publishes OrderPlaced and writes its read model',
      route: 'POST /orders',
      produces: { OrderPlaced: { status: 'placed' } },
      // Claims the customer's Idempotency-Key for a new random order id; writes the new order's
      // view, and reads it to tell whether a retry's order was already published. Keeps the
      // payment token in a payment intent and the customer's name, e-mail and address in the
      // order's contact: the events carry the intent's id and the customer's id, nothing else.
      uses: [Port.orderViews, Port.idempotencyKeys, Port.paymentIntentIssuer, Port.orderContactKeeper],
    },
    'get-order': {
      description: "GET /orders/{id}: serves an order's status and timeline",
      route: 'GET /orders/{id}',
      produces: {},
      uses: [Port.orderViewReader],
    },
    // Its own function rather than get-order's second route: each role then holds only what its
    // route reads (GetItem on the table, or Query on the customer index), and each route has its own metrics.
    'list-orders': {
      description: "GET /orders: lists the caller's own orders, newest first, a page at a time",
      route: 'GET /orders',
      produces: {},
      uses: [Port.orderLister],
    },
  },
  steps: {
    'reserve-inventory': {
      description: 'reserves the stock of a placed order, all or nothing, and prices it',
      // place-order keeps no ledger record: OrderPlaced is the first event of an order.
      consumes: { OrderPlaced: Prerequisite.none },
      produces: {
        InventoryReserved: { status: 'inventory-reserved', moves: { from: StockCounter.available, to: StockCounter.reserved } },
        InventoryRejected: { status: 'inventory-rejected' },
      },
      // Deletes the payment intent of an order it rejects: it will never be paid.
      uses: [Port.catalogue, Port.paymentIntentDiscarder],
    },
    'capture-payment': {
      description: "captures the reserved order's amount, at most once per order",
      consumes: { InventoryReserved: Prerequisite.producerRecorded },
      produces: {
        PaymentCaptured: { status: 'payment-captured' },
        PaymentDeclined: { status: 'payment-declined' },
      },
      // Reads the order's payment token from its intent, and deletes the intent once used.
      uses: [Port.paymentIntentRedeemer],
      readsOwnRecordFirst: true,
    },
    'release-inventory': {
      description: "after a declined payment, makes the order's reserved units available again",
      consumes: { PaymentDeclined: Prerequisite.producerRecorded },
      produces: { InventoryReleased: { status: 'inventory-released', moves: { from: StockCounter.reserved, to: StockCounter.available } } },
      compensation: true,
    },
    'ship-order': {
      description: 'books the shipment of a paid order and moves its units from reserved to shipped',
      consumes: { PaymentCaptured: Prerequisite.producerRecorded },
      produces: { OrderShipped: { status: 'shipped', moves: { from: StockCounter.reserved, to: StockCounter.shipped } } },
      // Reads the address to ship to from the order's contact.
      uses: [Port.orderContactReader],
    },
    'cancel-order': {
      description: 'cancels an order whose inventory was rejected or released, keeping the reason',
      consumes: { InventoryRejected: Prerequisite.producerRecorded, InventoryReleased: Prerequisite.producerRecorded },
      produces: { OrderCancelled: { status: 'cancelled', terminal: true } },
    },
    'notify-customer': {
      description: 'tells the customer the outcome, once per outcome',
      consumes: { OrderShipped: Prerequisite.producerRecorded, OrderCancelled: Prerequisite.producerRecorded },
      // A notification about a cancellation does not un-cancel the order.
      produces: { CustomerNotified: { status: { field: 'outcome', values: { shipped: 'notified' } }, terminal: true } },
      // Reads the e-mail address to notify from the order's contact.
      uses: [Port.orderContactReader],
    },
    'project-order': {
      description: "applies every event to the order's read model",
      consumes: everyEvent,
      produces: {},
      uses: [Port.orderViews],
      // The projection takes every event (5 of the 9 messages per order) and settles no order:
      // gathering up to 100 records for a second turns ~5 receives and deletes per order into a
      // fraction of one, and lets one read and one write of the view apply several of its events.
      batching: { batchSize: 100, maxBatchingWindowSeconds: 1 },
    },
  },
});
