import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ConcurrentUpdateError } from '#shared/errors';
import { applyEvent, latencyToFinalStatusMs, type OrderView, type ProjectedEvent } from '#shared/order-view';
import { metrics, OrderMetric } from '#shared/runtime/observability';
import type { OrderViewStore } from '#shared/ports';
import type { StepLogic } from '#shared/steps/step';

/**
 * Projections of one order in another execution environment can still race this one
 * (optimistic concurrency on the view's version); a lost race is settled by reading again here
 * rather than waiting a visibility timeout.
 */
const MAX_PROJECTION_ATTEMPTS = 5;

/**
 * Events of one order waiting to be applied together. A batch gathered for a second often holds
 * several events of one order: one read and one write of the view for all of them costs a
 * fraction of a read and a write per event, and cannot race itself.
 */
interface PendingProjection {
  readonly events: ProjectedEvent[];
  readonly applied: Promise<void>;
}

/** Per order: the group still taking events, and the group being applied (the newest one). */
const gathering = new Map<string, PendingProjection>();
const latest = new Map<string, Promise<unknown>>();

/**
 * Applies `event` to its order's read model, together with the other events of that order that
 * arrive before the previous projection of the order in this environment is done. All of a
 * group's records succeed or fail together; a failed group is retried record by record by SQS.
 */
function project(views: OrderViewStore, event: ProjectedEvent): Promise<void> {
  const orderId = event.detail.orderId;
  const joined = gathering.get(orderId);
  if (joined) {
    joined.events.push(event);
    return joined.applied;
  }
  const events = [event];
  // Wait for the order's previous group, then one turn of the event loop so that the rest of
  // this batch's records (handed over together) can join.
  const previous = latest.get(orderId) ?? Promise.resolve();
  const applied = previous
    .catch(() => undefined)
    .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    .then(() => {
      gathering.delete(orderId);
      return applyAll(views, orderId, events);
    });
  gathering.set(orderId, { events, applied });
  latest.set(orderId, applied);
  const forget = () => {
    if (latest.get(orderId) === applied) latest.delete(orderId);
  };
  applied.then(forget, forget);
  return applied;
}

async function applyAll(views: OrderViewStore, orderId: string, events: readonly ProjectedEvent[]): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await views.get(orderId);
    const next = events.reduce<OrderView | undefined>((view, event) => applyEvent(view, event) ?? view, current);
    if (next === current || next === undefined) return;
    try {
      await views.save({ ...next, version: (current?.version ?? 0) + 1 });
      // Once per order: only the write that first shows a final status measures it (EMF, no IAM call).
      const latencyMs = latencyToFinalStatusMs(current, next, Date.now());
      if (latencyMs !== undefined) metrics.addMetric(OrderMetric.latency, MetricUnit.Milliseconds, latencyMs);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt === MAX_PROJECTION_ATTEMPTS) throw error;
    }
  }
}

/** Applies an event to the order's read model (optimistic concurrency on its version). */
export const projectOrder: StepLogic<'project-order'> = async (event, { orderViews }) => {
  await project(orderViews, event);
  return [];
};
