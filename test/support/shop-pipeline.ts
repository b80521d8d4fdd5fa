/**
 * A pipeline shaped like the order pipeline when the tests using it were worked out by hand:
 * tests of what is derived from a declaration (paths, costs) run on it, so their figures hold
 * whatever steps the real pipeline gains.
 */
import type { DetailType } from '#shared/contracts';
import { definePipeline, Prerequisite } from '#shared/pipeline-declaration';
import { PipelineGraph } from '#shared/pipeline-graph';

/** The shop's events, in its life cycle's order; the real pipeline may have more. */
const SHOP_EVENTS = ['OrderPlaced', 'InventoryReserved', 'InventoryRejected', 'PaymentCaptured', 'PaymentDeclined', 'InventoryReleased', 'OrderShipped', 'OrderCancelled', 'CustomerNotified'] as const satisfies readonly DetailType[];
const everyEvent = Object.fromEntries(SHOP_EVENTS.map((type) => [type, Prerequisite.none])) as { readonly [E in (typeof SHOP_EVENTS)[number]]: typeof Prerequisite.none };

/** Reserve, capture, ship or compensate, cancel, notify; and the projection. */
export const SHOP_PIPELINE = definePipeline({
  http: {
    'place-order': { description: 'places', route: 'POST /orders', produces: { OrderPlaced: { status: 'placed' } }, uses: ['orderViews', 'paymentIntentIssuer'] },
    'get-order': { description: 'reads', route: 'GET /orders/{id}', produces: {}, uses: ['orderViewReader'] },
  },
  steps: {
    'reserve-inventory': {
      description: 'reserves',
      consumes: { OrderPlaced: 'none' },
      produces: { InventoryReserved: { status: 'inventory-reserved', moves: { from: 'available', to: 'reserved' } }, InventoryRejected: { status: 'inventory-rejected' } },
      uses: ['catalogue', 'paymentIntentDiscarder'],
    },
    'capture-payment': {
      description: 'captures',
      consumes: { InventoryReserved: 'producer-recorded' },
      produces: { PaymentCaptured: { status: 'payment-captured' }, PaymentDeclined: { status: 'payment-declined' } },
      readsOwnRecordFirst: true,
      uses: ['paymentIntentRedeemer'],
    },
    'release-inventory': {
      description: 'releases',
      consumes: { PaymentDeclined: 'producer-recorded' },
      produces: { InventoryReleased: { status: 'inventory-released', moves: { from: 'reserved', to: 'available' } } },
      compensation: true,
    },
    'ship-order': { description: 'ships', consumes: { PaymentCaptured: 'producer-recorded' }, produces: { OrderShipped: { status: 'shipped', moves: { from: 'reserved', to: 'shipped' } } } },
    'cancel-order': {
      description: 'cancels',
      consumes: { InventoryRejected: 'producer-recorded', InventoryReleased: 'producer-recorded' },
      produces: { OrderCancelled: { status: 'cancelled', terminal: true } },
    },
    'notify-customer': {
      description: 'notifies',
      consumes: { OrderShipped: 'producer-recorded', OrderCancelled: 'producer-recorded' },
      produces: { CustomerNotified: { status: { field: 'outcome', values: { shipped: 'notified' } }, terminal: true } },
    },
    'project-order': { description: 'projects', consumes: everyEvent, produces: {}, uses: ['orderViews'], batching: { batchSize: 100, maxBatchingWindowSeconds: 1 } },
  },
});

/** Its graph. */
export const SHOP_GRAPH = new PipelineGraph(SHOP_PIPELINE);
