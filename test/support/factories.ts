/** Factories of the records tests feed the handlers: orders, EventBridge envelopes, SQS records, HTTP requests. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, SQSEvent, SQSRecord } from 'aws-lambda';
import { EventSourceOf, type Detail, type DetailType, type Order, type PlacedOrder } from '#shared/contracts';
import type { OrderContact } from '#shared/ports';

/** A valid order for the demo catalogue; `overrides` replace top-level fields. */
export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    customer: { customerId: 'customer-1', email: 'ada@example.com', name: 'Ada Lovelace' },
    items: [
      { sku: 'SKU-KEYBOARD', quantity: 1 },
      { sku: 'SKU-MOUSE', quantity: 2 },
    ],
    shippingAddress: { line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    paymentToken: 'tok_visa',
    ...overrides,
  };
}

/** A payment intent's id, random as place-order's are. */
export function aPaymentIntentId(): string {
  return `pi_${randomUUID().replaceAll('-', '')}`;
}

/** A placed order as the events carry it (`anOrder()`'s customer id and lines, and a payment intent); `overrides` replace top-level fields. */
export function aPlacedOrder(overrides: Partial<PlacedOrder> = {}): PlacedOrder {
  const { customer, items } = anOrder();
  return { customerId: customer.customerId, items, paymentIntentId: aPaymentIntentId(), ...overrides };
}

/** The contact place-order keeps for `order` (`anOrder()` by default): its customer's name and e-mail, and its address. */
export function aContactOf(order: Order = anOrder()): OrderContact {
  return { name: order.customer.name, email: order.customer.email, shippingAddress: order.shippingAddress };
}

/** The full EventBridge event envelope as an SQS target receives it. */
export function anEnvelope<T extends DetailType>(detailType: T, detail: Detail<T>, overrides: { id?: string; time?: string } = {}): string {
  return JSON.stringify({
    version: '0',
    id: overrides.id ?? randomUUID(),
    'detail-type': detailType,
    source: EventSourceOf[detailType],
    account: '000000000000',
    time: overrides.time ?? new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  });
}

/** An SQS record carrying `body`, delivered `receiveCount` times. */
export function anSqsRecord(body: string, options: { receiveCount?: number; messageId?: string } = {}): SQSRecord {
  return {
    messageId: options.messageId ?? randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test-queue',
    awsRegion: 'us-east-1',
  };
}

/** An SQS event of `records`. */
export function anSqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** The claims of the customer `anOrder()` belongs to, as the JWT authorizer passes an ID token's. */
export const A_CUSTOMER_CLAIMS = { sub: 'customer-1', email: 'ada@example.com' } as const;

/**
 * An HTTP API (payload 2.0) request, authorized as `claims` (the JWT authorizer's verified
 * claims; `null`: a request without them).
 * @param options.claims - @default A_CUSTOMER_CLAIMS
 */
export function anHttpRequest(options: { method: string; path: string; body?: string; headers?: Record<string, string>; pathParameters?: Record<string, string>; queryStringParameters?: Record<string, string>; claims?: Readonly<Record<string, string>> | null }): APIGatewayProxyEventV2 {
  const claims = options.claims === undefined ? A_CUSTOMER_CLAIMS : options.claims;
  return {
    version: '2.0',
    routeKey: `${options.method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.queryStringParameters).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: options.method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${options.method} ${options.path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(claims !== null ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.queryStringParameters ? { queryStringParameters: options.queryStringParameters } : {}),
    isBase64Encoded: false,
  };
}

/** A minimal Lambda context. */
export const aLambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
