/**
 * The order's read model (status and timeline) and how each event moves it. Pure: the
 * projection handler loads a view, applies an event here, and saves it.
 */
import type { Detail, DetailType, PlacedOrder, Rejection, Shipment } from '#shared/contracts';
import { PIPELINE_GRAPH, type OrderStatus } from '#shared/pipeline-graph';

/**
 * Every status an order can show, with its rank: status only ever moves to a higher rank. From
 * the pipeline's declaration: a status ranks by how many events precede the event that sets
 * it, and terminal statuses share the highest rank.
 */
export const OrderStatusRank = PIPELINE_GRAPH.statusRank as Readonly<Record<OrderStatus, number>>;

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
  readonly order?: PlacedOrder;
  /**
   * The order's customer (the token subject that placed it), from `OrderPlaced`: the partition key
   * of the `customerOrders` index, which lists a customer's orders.
   */
  readonly customerId?: string;
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
  const candidate = PIPELINE_GRAPH.statusAfter(event.detailType, event.detail) as OrderStatus | undefined;
  const status =
    candidate !== undefined && (view === undefined || OrderStatusRank[candidate] > OrderStatusRank[current.status])
      ? candidate
      : current.status;
  const timeline = [...current.timeline, { type: event.detailType, at: event.time }].sort(byOccurrence);
  return { ...current, ...factsOf(event), status, timeline, updatedAt: event.time };
}

/**
 * Milliseconds from the order's placing to `nowMs`, when `after` is the first view of the order
 * to show a terminal status (`before` showed none); `undefined` otherwise, or when the placing
 * time is not known yet (events can arrive before `OrderPlaced`).
 */
export function latencyToFinalStatusMs(before: OrderView | undefined, after: OrderView, nowMs: number): number | undefined {
  const terminal = PIPELINE_GRAPH.terminalStatuses;
  if (!terminal.includes(after.status) || (before !== undefined && terminal.includes(before.status)) || after.placedAt === undefined) return undefined;
  return Math.max(0, nowMs - Date.parse(after.placedAt));
}

/**
 * EventBridge times events to the second, so several steps of one order often share a time;
 * within a second the life cycle's own order (from the pipeline's declaration) decides.
 */
function byOccurrence(a: TimelineEntry, b: TimelineEntry): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return PIPELINE_GRAPH.lifeCycleOrder.indexOf(a.type) - PIPELINE_GRAPH.lifeCycleOrder.indexOf(b.type);
}

/** The facts an event adds to the view beyond its status. */
function factsOf(event: ProjectedEvent): Partial<OrderView> {
  const detail = event.detail as Record<string, unknown>;
  switch (event.detailType) {
    case 'OrderPlaced':
      return { order: detail.order as PlacedOrder, customerId: (detail.order as PlacedOrder).customerId, placedAt: detail.placedAt as string };
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
