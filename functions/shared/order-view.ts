/**
 * The order's read model (status and timeline) and how each event moves it. Pure: the
 * projection handler loads a view, applies an event here, and saves it.
 */
import { DETAIL_TYPES, type Detail, type DetailType, type Order, type Rejection, type Shipment } from '#shared/contracts';

/** Every status an order can show, with its rank: status only ever moves to a higher rank. */
export const OrderStatusRank = {
  placed: 1,
  'inventory-reserved': 2,
  'inventory-rejected': 2,
  'payment-captured': 3,
  'payment-declined': 3,
  shipped: 4,
  'inventory-released': 4,
  notified: 9,
  cancelled: 9,
} as const;
export type OrderStatus = keyof typeof OrderStatusRank;

/** The statuses an order ends in; each accepted order reaches exactly one of them. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['notified', 'cancelled'];

/** The status each event moves the order to; `undefined` leaves the status as it is. */
const statusAfter: Record<DetailType, (detail: never) => OrderStatus | undefined> = {
  OrderPlaced: () => 'placed',
  InventoryReserved: () => 'inventory-reserved',
  InventoryRejected: () => 'inventory-rejected',
  PaymentCaptured: () => 'payment-captured',
  PaymentDeclined: () => 'payment-declined',
  InventoryReleased: () => 'inventory-released',
  OrderShipped: () => 'shipped',
  OrderCancelled: () => 'cancelled',
  // A notification about a cancellation does not un-cancel the order.
  CustomerNotified: (detail: Detail<'CustomerNotified'>) => (detail.outcome === 'shipped' ? 'notified' : undefined),
};

/** One entry of the order's timeline. */
export interface TimelineEntry {
  readonly type: DetailType;
  /** When the event happened (the EventBridge event time). */
  readonly at: string;
}

/** What GET /orders/{id} shows. */
export interface OrderView {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly order?: Order;
  readonly amountCents?: number;
  readonly paymentId?: string;
  readonly shipment?: Shipment;
  /** Why the order was cancelled, once it was. */
  readonly reason?: Rejection;
  readonly timeline: readonly TimelineEntry[];
  readonly placedAt?: string;
  readonly updatedAt: string;
  /** Optimistic-concurrency version of the stored item. */
  readonly version: number;
}

/** An event as the projection sees it. */
export interface ProjectedEvent<T extends DetailType = DetailType> {
  readonly detailType: T;
  readonly detail: Detail<T>;
  readonly time: string;
}

/**
 * Applies one event to a view (or starts one: events may arrive before `OrderPlaced`).
 * Returns `undefined` when the event was already applied: the timeline holds each event type
 * once, because a step that sees a duplicate republishes its outcome under a new event id.
 */
export function applyEvent(view: OrderView | undefined, event: ProjectedEvent): OrderView | undefined {
  if (view?.timeline.some((entry) => entry.type === event.detailType)) return undefined;
  const current: OrderView = view ?? {
    orderId: event.detail.orderId,
    status: 'placed',
    timeline: [],
    updatedAt: event.time,
    version: 0,
  };
  const candidate = (statusAfter[event.detailType] as (detail: Detail<DetailType>) => OrderStatus | undefined)(event.detail);
  const status =
    candidate !== undefined && (view === undefined || OrderStatusRank[candidate] > OrderStatusRank[current.status])
      ? candidate
      : current.status;
  const timeline = [...current.timeline, { type: event.detailType, at: event.time }].sort(byOccurrence);
  return { ...current, ...factsOf(event), status, timeline, updatedAt: event.time };
}

/**
 * EventBridge times events to the second, so several steps of one order often share a time;
 * within a second the life cycle's own order (the contract lists detail-types in it) decides.
 */
function byOccurrence(a: TimelineEntry, b: TimelineEntry): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return DETAIL_TYPES.indexOf(a.type) - DETAIL_TYPES.indexOf(b.type);
}

/** The facts an event adds to the view beyond its status. */
function factsOf(event: ProjectedEvent): Partial<OrderView> {
  const detail = event.detail as Record<string, unknown>;
  switch (event.detailType) {
    case 'OrderPlaced':
      return { order: detail.order as Order, placedAt: detail.placedAt as string };
    case 'InventoryReserved':
      return { amountCents: detail.amountCents as number };
    case 'PaymentCaptured':
      return { paymentId: detail.paymentId as string };
    case 'OrderShipped':
      return { shipment: detail.shipment as Shipment };
    case 'OrderCancelled':
      return { reason: detail.reason as Rejection };
    default:
      return {};
  }
}
