/**
 * What an order is, told to the local cloud's console (which knows events, not orders): an
 * event belongs to the order in its `detail.orderId` (every event carries it), an order ends at
 * a settling event of the pipeline's declaration, and it starts with the request to a route
 * whose function produces events (POST /orders), whose answer names the order.
 */
import type { FlowCorrelation } from '#cloud/console/recorder';
import { PIPELINE } from '#shared/pipeline';
import { PIPELINE_GRAPH } from '#shared/pipeline-graph';

/** The routes that start an order: their functions put an order's first event. */
const ORDER_STARTING_ROUTES: ReadonlySet<string> = new Set(Object.values(PIPELINE.http).flatMap((fn) => (Object.keys(fn.produces).length > 0 ? [fn.route] : [])));

/** Orders as the console's flows. */
export const ORDER_FLOW_CORRELATION: FlowCorrelation = {
  idOfEvent: (event) => {
    const orderId = (event.detail as { orderId?: unknown } | null)?.orderId;
    return typeof orderId === 'string' ? orderId : undefined;
  },
  isFinal: (event) => PIPELINE_GRAPH.isSettled([event['detail-type']]),
  idOfHttpResponse: (routeKey, response) => {
    if (!ORDER_STARTING_ROUTES.has(routeKey) || response.statusCode === undefined || response.statusCode >= 300 || response.body === undefined) return undefined;
    try {
      const orderId = (JSON.parse(response.body) as { orderId?: unknown }).orderId;
      return typeof orderId === 'string' ? orderId : undefined;
    } catch {
      return undefined;
    }
  },
};
