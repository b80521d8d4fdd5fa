/**
 * Lambda handler of `GET /orders`: the caller's own orders, newest first, a page at a time.
 * Whose orders is the token's subject alone; a page's `nextToken` only says where in the caller's
 * own list the next page starts, so no token, forged or another customer's, reads anyone else's.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { OrderIdSchema } from '#shared/contracts';
import type { FieldIssue } from '#shared/errors';
import type { OrderLister, OrderPosition } from '#shared/ports';
import { callerOf, json, problem, unauthorized } from '#shared/runtime/http';
import { logger } from '#shared/runtime/observability';

/** Orders per page when the request names no `limit`, and the most it may ask for. */
export const ORDER_PAGE_LIMIT = { default: 20, max: 100 } as const;

/** A position as a token carries it: `[placedAt, orderId]`. */
const PositionSchema = z.tuple([z.iso.datetime(), OrderIdSchema]);

/**
 * The token of a position: base64url of `[placedAt, orderId]`, the last order of the page the
 * caller was just given (nothing the caller has not seen; the customer is never in it). Clients
 * must treat it as opaque. Written by hand: it is two fields, and a library would add nothing.
 */
export function nextTokenOf(position: OrderPosition): string {
  return Buffer.from(JSON.stringify([position.placedAt, position.orderId])).toString('base64url');
}

/** The position a token names, or `undefined` when it is not a token this API gave out. */
function positionOf(token: string): OrderPosition | undefined {
  try {
    const parsed = PositionSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success ? { placedAt: parsed.data[0], orderId: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the handler around the lister it reads. */
export function listOrdersHandler({ orderLister }: { readonly orderLister: OrderLister }): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2> {
  return (event) => answer(event, orderLister);
}

async function answer(event: APIGatewayProxyEventV2, lister: OrderLister): Promise<APIGatewayProxyResultV2> {
  const caller = callerOf(event);
  if (caller === undefined) return unauthorized();
  const { limit: limitText, nextToken } = event.queryStringParameters ?? {};
  const issues: FieldIssue[] = [];
  const limit = limitText === undefined ? ORDER_PAGE_LIMIT.default : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > ORDER_PAGE_LIMIT.max) {
    issues.push({ field: 'limit', message: `must be a whole number from 1 to ${ORDER_PAGE_LIMIT.max}, got "${limitText ?? ''}"` });
  }
  const after = nextToken === undefined ? undefined : positionOf(nextToken);
  if (nextToken !== undefined && after === undefined) issues.push({ field: 'nextToken', message: 'is not a nextToken this API gave out: send the one of the previous page as it is' });
  if (issues.length > 0) return problem(400, 'the list request is invalid', issues);

  try {
    const page = await lister.listByCustomer(caller.customerId, { limit, ...(after === undefined ? {} : { after }) });
    return json(200, { orders: page.orders, ...(page.next === undefined ? {} : { nextToken: nextTokenOf(page.next) }) });
  } catch (error) {
    logger.error('orders could not be listed', { error });
    return problem(500, 'the orders could not be listed; try again');
  }
}
