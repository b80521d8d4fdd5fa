import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyKeys } from '#shared/adapters/dynamodb-idempotency-keys';
import { DynamoDbOrderContacts } from '#shared/adapters/dynamodb-order-contacts';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { DynamoDbPaymentIntents, PAYMENT_INTENT_TTL_SECONDS } from '#shared/adapters/dynamodb-payment-intents';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_ORDER_LINES } from '#shared/contracts';
import { ORDER_CONTACT_RETENTION_DAYS, SECONDS_PER_DAY } from '#shared/tables';
import { MAX_ORDER_BODY_BYTES, placeOrderHandler } from '../../../functions/place-order/place-order-handler.ts';
import { aContactOf, anHttpRequest, anOrder, aPlacedOrder } from '#test/support/factories';
import { RecordingPublisher } from '#test/support/fakes';
import { startTestDynamoDb, type TestDynamoDb } from '#test/support/local-dynamodb';

type Response = { statusCode: number; headers: Record<string, string>; body: string };

describe('place-order handler (POST /orders)', () => {
  let db: TestDynamoDb;
  let publisher: RecordingPublisher;
  let views: DynamoDbOrderViews;
  let idempotencyKeys: DynamoDbIdempotencyKeys;
  let paymentIntentIssuer: DynamoDbPaymentIntents;
  let orderContactKeeper: DynamoDbOrderContacts;
  let tables: Awaited<ReturnType<TestDynamoDb['createTables']>>;
  let post: (body: string, headers?: Record<string, string>, claims?: Record<string, string> | null) => Promise<Response & { json: Record<string, unknown> }>;

  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    tables = await db.createTables();
    publisher = new RecordingPublisher();
    views = new DynamoDbOrderViews({ client: db.client, ordersTableName: tables.orders });
    idempotencyKeys = new DynamoDbIdempotencyKeys({ client: db.client, idempotencyTableName: tables.idempotency });
    paymentIntentIssuer = new DynamoDbPaymentIntents({ client: db.client, paymentIntentsTableName: tables.paymentIntents });
    orderContactKeeper = new DynamoDbOrderContacts({ client: db.client, orderContactsTableName: tables.orderContacts });
    const handler = placeOrderHandler({ publisher, orderViews: views, idempotencyKeys, paymentIntentIssuer, orderContactKeeper });
    post = async (body, headers, claims) => {
      const response = (await handler(anHttpRequest({ method: 'POST', path: '/orders', body, headers, ...(claims !== undefined ? { claims } : {}) }))) as Response;
      return { ...response, json: JSON.parse(response.body) };
    };
  });

  it('accepts a valid order with 202, its id and Location, and publishes OrderPlaced', async () => {
    // Act
    const response = await post(JSON.stringify(anOrder()));
    // Assess
    expect(response.statusCode).toBe(202);
    const orderId = response.json.orderId as string;
    expect(response.headers.location).toBe(`/orders/${orderId}`);
    expect(publisher.events).toEqual([expect.objectContaining({ detailType: 'OrderPlaced', detail: expect.objectContaining({ orderId, order: { ...aPlacedOrder(), paymentIntentId: expect.stringMatching(/^pi_[0-9a-f]{32}$/) } }) })]);
  });

  it('keeps the payment token in a payment intent of the order for a day, and names the intent in the event and read model instead', async () => {
    // Prepare
    const paymentToken = `tok_visa_${Date.now()}`;
    const before = Math.floor(Date.now() / 1000);
    // Act
    const response = await post(JSON.stringify(anOrder({ paymentToken })));
    // Assess
    const orderId = response.json.orderId as string;
    const { Items: intents = [] } = await db.documents.send(new ScanCommand({ TableName: tables.paymentIntents }));
    const paymentIntentId = (publisher.events[0]?.detail as { order: { paymentIntentId: string } }).order.paymentIntentId;
    expect(intents).toEqual([{ paymentIntentId, orderId, paymentToken, expiresAt: expect.any(Number) }]);
    expect(intents[0]?.expiresAt).toBeGreaterThanOrEqual(before + PAYMENT_INTENT_TTL_SECONDS);
    expect(intents[0]?.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + PAYMENT_INTENT_TTL_SECONDS);
    expect(JSON.stringify(publisher.events)).not.toContain(paymentToken);
    expect(JSON.stringify(await views.get(orderId))).not.toContain(paymentToken);
  });

  it("keeps the customer's name, e-mail and address in the order's contact for 35 days, and publishes none of them", async () => {
    // Prepare
    const order = anOrder();
    const before = Math.floor(Date.now() / 1000);
    // Act
    const response = await post(JSON.stringify(order));
    // Assess
    const orderId = response.json.orderId as string;
    const { Items: contacts = [] } = await db.documents.send(new ScanCommand({ TableName: tables.orderContacts }));
    expect(contacts).toEqual([{ orderId, ...aContactOf(order), expiresAt: expect.any(Number) }]);
    expect(contacts[0]?.expiresAt).toBeGreaterThanOrEqual(before + ORDER_CONTACT_RETENTION_DAYS * SECONDS_PER_DAY);
    expect(contacts[0]?.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + ORDER_CONTACT_RETENTION_DAYS * SECONDS_PER_DAY);
    const published = JSON.stringify(publisher.events);
    const projected = JSON.stringify(await views.get(orderId));
    for (const personal of [order.customer.name, order.customer.email, order.shippingAddress.line1, order.shippingAddress.postalCode]) {
      expect(published).not.toContain(personal);
      expect(projected).not.toContain(personal);
    }
  });

  it("places the order in the token's customer's name and e-mail, whatever the body claims", async () => {
    // Prepare
    const claimingSomeoneElse = anOrder({ customer: { customerId: 'customer-2', email: 'grace@example.com', name: 'Ada Lovelace' } });
    // Act
    const response = await post(JSON.stringify(claimingSomeoneElse), {}, { sub: 'sub-of-ada', email: 'ada@example.com' });
    // Assess
    expect(response.statusCode).toBe(202);
    expect(publisher.events[0]?.detail).toMatchObject({ order: { customerId: 'sub-of-ada' } });
    expect(await orderContactKeeper.find(response.json.orderId as string)).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
  });

  it('accepts the largest valid order, pretty-printed and with every character of its free text escaped, under its body limit', async () => {
    // Prepare: every line and field at its longest; each non-ASCII character becomes a 6-byte \uXXXX escape.
    const text = (length: number) => 'ü'.repeat(length);
    const largest = anOrder({
      customer: { customerId: 'ignored', email: 'ignored@example.com', name: text(200) },
      items: Array.from({ length: MAX_ORDER_LINES }, (_, line) => ({ sku: `${String(line).padStart(2, '0')}${'X'.repeat(62)}`, quantity: 1000 })),
      shippingAddress: { line1: text(200), line2: text(200), city: text(100), postalCode: text(20), country: 'DE' },
      paymentToken: `tok_${'a'.repeat(64)}`,
    });
    const body = JSON.stringify(largest, null, 2).replace(/[^\x00-\x7f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
    // Act
    const response = await post(body);
    // Assess
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_ORDER_BODY_BYTES);
    expect(response.statusCode).toBe(202);
  });

  it('answers 413 with a reason to a body over its limit, before parsing it, and publishes nothing', async () => {
    // Prepare: valid JSON, one byte over the limit.
    const order = JSON.stringify(anOrder());
    const body = `${order}${' '.repeat(MAX_ORDER_BODY_BYTES + 1 - Buffer.byteLength(order))}`;
    // Act
    const response = await post(body);
    // Assess
    expect(response.statusCode).toBe(413);
    expect(response.json).toEqual({ message: `the order body is ${MAX_ORDER_BODY_BYTES + 1} bytes; an order is at most ${MAX_ORDER_BODY_BYTES} bytes` });
    expect(publisher.events).toEqual([]);
  });

  it('answers 401 to a request that reached it without verified claims, placing nothing', async () => {
    // Act
    const response = await post(JSON.stringify(anOrder()), {}, null);
    // Assess
    expect(response.statusCode).toBe(401);
    expect(response.json).toEqual({ message: 'Unauthorized' });
    expect(publisher.events).toEqual([]);
  });

  it('answers 403 to a token without an e-mail address (an access token), placing nothing', async () => {
    // Act
    const response = await post(JSON.stringify(anOrder()), {}, { sub: 'customer-1', token_use: 'access' });
    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.json.message).toContain('ID token');
    expect(publisher.events).toEqual([]);
  });

  it('answers 400 when the body is not JSON', async () => {
    // Act
    const response = await post('{"customer":');
    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.json.issues).toEqual([{ field: '(body)', message: 'is not valid JSON' }]);
    expect(publisher.events).toEqual([]);
  });

  it('answers 400 listing every problem by field', async () => {
    // Prepare
    const order = { ...anOrder(), customer: { customerId: 'c', email: 'not-an-email', name: '' }, items: [{ sku: 'SKU-MOUSE', quantity: 0 }], paymentToken: 'visa', shippingAddress: undefined };
    // Act
    const response = await post(JSON.stringify(order), { 'idempotency-key': 'has spaces' });
    // Assess
    expect(response.statusCode).toBe(400);
    const fields = (response.json.issues as { field: string }[]).map((issue) => issue.field).sort();
    expect(fields).toEqual(['Idempotency-Key', 'customer.name', 'items.0.quantity', 'paymentToken', 'shippingAddress'].sort());
  });

  it('makes the order readable at once: its read model is written right after the event is published', async () => {
    // Act
    const response = await post(JSON.stringify(anOrder()));
    // Assess
    const view = await views.get(response.json.orderId as string);
    expect(view).toMatchObject({ status: 'placed', order: aPlacedOrder({ paymentIntentId: expect.any(String) }), timeline: [{ type: 'OrderPlaced' }] });
  });

  it('returns the same order for a retried request with the same Idempotency-Key, publishing it once', async () => {
    // Prepare
    const body = JSON.stringify(anOrder());
    // Act
    const first = await post(body, { 'Idempotency-Key': 'key-1' });
    const retry = await post(body, { 'Idempotency-Key': 'key-1' });
    // Assess
    expect(retry.json.orderId).toBe(first.json.orderId);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(publisher.events).toHaveLength(1);
  });

  it('still accepts the order when its read model cannot be written: the projection step will write it', async () => {
    // Prepare: a store whose table does not exist.
    const handler = placeOrderHandler({ publisher, orderViews: new DynamoDbOrderViews({ client: db.client, ordersTableName: 'no-such-table' }), idempotencyKeys, paymentIntentIssuer, orderContactKeeper });
    // Act
    const response = (await handler(anHttpRequest({ method: 'POST', path: '/orders', body: JSON.stringify(anOrder()) }))) as Response;
    // Assess
    expect(response.statusCode).toBe(202);
    expect(publisher.types()).toEqual(['OrderPlaced']);
  });

  it('answers 422 when an Idempotency-Key is reused for a different order', async () => {
    // Prepare
    await post(JSON.stringify(anOrder()), { 'idempotency-key': 'key-2' });
    // Act
    const response = await post(JSON.stringify(anOrder({ items: [{ sku: 'SKU-CABLE', quantity: 9 }] })), { 'idempotency-key': 'key-2' });
    // Assess
    expect(response.statusCode).toBe(422);
    expect(response.json.message).toContain('key-2');
  });

  it('makes two different orders of the same Idempotency-Key from two customers, and answers 422 only to the customer who used it', async () => {
    // Prepare
    const grace = { sub: 'customer-2', email: 'grace@example.com' };
    const first = await post(JSON.stringify(anOrder()), { 'idempotency-key': 'shared-key' });
    // Act
    const fromGrace = await post(JSON.stringify(anOrder({ items: [{ sku: 'SKU-CABLE', quantity: 9 }] })), { 'idempotency-key': 'shared-key' }, grace);
    const reuseByAda = await post(JSON.stringify(anOrder({ items: [{ sku: 'SKU-CABLE', quantity: 9 }] })), { 'idempotency-key': 'shared-key' });
    // Assess
    expect(fromGrace.statusCode).toBe(202);
    expect(fromGrace.json.orderId).not.toBe(first.json.orderId);
    expect(reuseByAda.statusCode).toBe(422);
    expect(publisher.events).toHaveLength(2);
  });

  it('names a new random order once the key expired (a day later): an order id is not derived from the customer and key', async () => {
    // Prepare
    const body = JSON.stringify(anOrder());
    const first = await post(body, { 'idempotency-key': 'key-4' });
    const aDayLater = new DynamoDbIdempotencyKeys({ client: db.client, idempotencyTableName: tables.idempotency, now: () => new Date(Date.now() + 24 * 60 * 60 * 1000 + 1000) });
    const handler = placeOrderHandler({ publisher, orderViews: views, idempotencyKeys: aDayLater, paymentIntentIssuer, orderContactKeeper });
    // Act
    const again = (await handler(anHttpRequest({ method: 'POST', path: '/orders', body, headers: { 'idempotency-key': 'key-4' } }))) as Response;
    // Assess
    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body).orderId).not.toBe(first.json.orderId);
    expect(publisher.events).toHaveLength(2);
  });

  it('publishes a retried order again when its first request failed to publish, under the id its key names', async () => {
    // Prepare
    publisher.failures = 1;
    const body = JSON.stringify(anOrder());
    const failed = await post(body, { 'idempotency-key': 'key-5' });
    // Act
    const retry = await post(body, { 'idempotency-key': 'key-5' });
    // Assess
    expect(failed.statusCode).toBe(503);
    expect(retry.statusCode).toBe(202);
    expect(publisher.events).toEqual([expect.objectContaining({ detailType: 'OrderPlaced', detail: expect.objectContaining({ orderId: retry.json.orderId }) })]);
  });

  it('answers 503 when the order cannot be published, so the client retries', async () => {
    // Prepare
    publisher.failures = 1;
    // Act
    const response = await post(JSON.stringify(anOrder()), { 'idempotency-key': 'key-3' });
    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(publisher.events).toEqual([]);
  });
});
