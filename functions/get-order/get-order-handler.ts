/**
 * Lambda handler of `GET /orders/{id}`: the order's status and timeline, to its own customer
 * only. Anyone else gets the same 404 as for an order that does not exist, so an answer tells
 * nothing about other customers' orders.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { OrderIdSchema } from '#shared/contracts';
import { callerOf, json, problem, unauthorized } from '#shared/runtime/http';
import { logger } from '#shared/runtime/observability';
import type { OrderViewReader } from '#shared/ports';

/** Builds the handler around the read models it reads. */
export function getOrderHandler({ orderViewReader }: { readonly orderViewReader: OrderViewReader }): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2> {
  return (event) => answer(event, orderViewReader);
}

async function answer(event: APIGatewayProxyEventV2, views: OrderViewReader): Promise<APIGatewayProxyResultV2> {
  const caller = callerOf(event);
  if (caller === undefined) return unauthorized();
  const orderId = event.pathParameters?.id;
  if (!OrderIdSchema.safeParse(orderId).success) {
    return problem(400, 'the order id must be a UUID', [{ field: 'id', message: `"${orderId ?? ''}" is not a UUID` }]);
  }
  try {
    const view = await views.get(orderId as string);
    // A view without its order (a later event projected first) has no owner to show it to yet.
    if (view?.order?.customerId !== caller.customerId) {
      return problem(404, `order ${orderId} was not found (an order accepted a moment ago appears once its first event is projected)`);
    }
    const { version: _version, order, ...shown } = view;
    // The read model shows what was ordered, not how it is paid: the payment intent is internal.
    const { paymentIntentId: _paymentIntentId, ...orderShown } = order;
    return json(200, { ...shown, order: orderShown });
  } catch (error) {
    logger.error('order could not be read', { correlation_id: orderId, error });
    return problem(500, 'the order could not be read; try again');
  }
}
