/**
 * Lambda handler of `POST /orders`: validates the order, accepts it (202) and publishes
 * OrderPlaced. The order is the caller's: its customer id and e-mail are the token's.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { OrderRequestSchema, type Order } from '#shared/contracts';
import { IdempotencyKeyReuseError, PublishError, fieldIssues } from '#shared/errors';
import { placeOrder, type PlaceOrderDeps } from '#shared/place-order';
import { callerOf, header, json, problem, unauthorized } from '#shared/runtime/http';
import { logger } from '#shared/runtime/observability';

/**
 * The largest order body accepted, in bytes: 16 KiB. The largest valid order (50 lines with 64
 * character SKUs, every free-text field at its longest and each character written as a `\uXXXX`
 * escape) is about 9 KiB, more when pretty-printed; anything much bigger is not an order. Far
 * below the HTTP API's own 10 MB, because this function would parse it and OrderPlaced carries
 * the order in an event, and an EventBridge entry holds at most 256 KB.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const MAX_ORDER_BODY_BYTES = 16 * 1024;

/** An Idempotency-Key is 1 to 128 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** Builds the handler around its dependencies. */
export function placeOrderHandler(deps: PlaceOrderDeps): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2> {
  return (event) => answer(event, deps);
}

async function answer(event: APIGatewayProxyEventV2, deps: PlaceOrderDeps): Promise<APIGatewayProxyResultV2> {
  const caller = callerOf(event);
  if (caller === undefined) return unauthorized();
  // The pipeline writes to the customer's verified address; an access token carries none.
  if (caller.email === undefined) return problem(403, 'the token carries no e-mail address: send the ID token of the customer');
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  if (raw.byteLength > MAX_ORDER_BODY_BYTES) {
    return problem(413, `the order body is ${raw.byteLength} bytes; an order is at most ${MAX_ORDER_BODY_BYTES} bytes`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return problem(400, 'the request body must be a JSON order', [{ field: '(body)', message: 'is not valid JSON' }]);
  }
  const parsed = OrderRequestSchema.safeParse(body);
  const idempotencyKey = header(event.headers, 'idempotency-key');
  const issues = parsed.success ? [] : fieldIssues(parsed.error);
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    issues.push({ field: 'Idempotency-Key', message: 'must be 1 to 128 visible ASCII characters' });
  }
  if (!parsed.success || issues.length > 0) return problem(400, 'the order is invalid', issues);

  try {
    const order: Order = { ...parsed.data, customer: { customerId: caller.customerId, email: caller.email, name: parsed.data.customer.name } };
    const { orderId, replayed, projectionError } = await placeOrder(order, idempotencyKey, deps);
    logger.debug('order accepted', { correlation_id: orderId, replayed });
    if (projectionError !== undefined) logger.warn('read model not written; the projection step will write it', { correlation_id: orderId, error: projectionError });
    const location = `/orders/${orderId}`;
    return json(202, { orderId, status: 'placed', location }, { location, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
  } catch (error) {
    if (error instanceof IdempotencyKeyReuseError) return problem(422, error.message);
    logger.error('order not accepted', { error });
    if (error instanceof PublishError) {
      return problem(503, 'the order could not be accepted right now; retry with the same Idempotency-Key', undefined, { 'retry-after': '1' });
    }
    return problem(500, 'the order could not be accepted; retry with the same Idempotency-Key');
  }
}
