import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { applyEvent } from '#shared/order-view';
import { getOrderHandler } from '../../../functions/get-order/get-order-handler.ts';
import { anHttpRequest, aPlacedOrder } from '#test/support/factories';
import { startTestDynamoDb, type TestDynamoDb } from '#test/support/local-dynamodb';

describe('get-order handler (GET /orders/{id})', () => {
  let db: TestDynamoDb;
  let views: DynamoDbOrderViews;
  let get: (id: string, claims?: Record<string, string> | null) => Promise<{ statusCode: number; json: Record<string, unknown> }>;

  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    const tables = await db.createTables();
    views = new DynamoDbOrderViews({ client: db.client, ordersTableName: tables.orders });
    const handler = getOrderHandler({ orderViewReader: views });
    get = async (id, claims) => {
      const response = (await handler(anHttpRequest({ method: 'GET', path: `/orders/${id}`, pathParameters: { id }, ...(claims !== undefined ? { claims } : {}) }))) as { statusCode: number; body: string };
      return { statusCode: response.statusCode, json: JSON.parse(response.body) };
    };
  });

  it('returns the status and timeline, without the payment intent', async () => {
    // Prepare
    const orderId = randomUUID();
    const order = aPlacedOrder();
    const view = applyEvent(undefined, { detailType: 'OrderPlaced', detail: { schemaVersion: 2, orderId, order, placedAt: '2026-11-22T12:00:00.000Z' }, time: '2026-11-22T12:00:00.000Z' });
    await views.save({ ...(view as NonNullable<typeof view>), version: 1 });
    // Act
    const response = await get(orderId);
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ orderId, status: 'placed', timeline: [{ type: 'OrderPlaced', at: '2026-11-22T12:00:00.000Z' }] });
    expect(JSON.stringify(response.json)).not.toContain(order.paymentIntentId);
    expect(response.json).not.toHaveProperty('version');
  });

  it("answers another customer's request for the order with the 404 of an unknown order", async () => {
    // Prepare
    const orderId = randomUUID();
    const view = applyEvent(undefined, { detailType: 'OrderPlaced', detail: { schemaVersion: 2, orderId, order: aPlacedOrder(), placedAt: '2026-11-22T12:00:00.000Z' }, time: '2026-11-22T12:00:00.000Z' });
    await views.save({ ...(view as NonNullable<typeof view>), version: 1 });
    const unknown = await get(randomUUID());
    // Act
    const response = await get(orderId, { sub: 'customer-2', email: 'grace@example.com' });
    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.json.message).toBe((unknown.json.message as string).replace(/order \S+ was/, `order ${orderId} was`));
    expect(JSON.stringify(response.json)).not.toContain('ada@example.com');
  });

  it('answers 401 to a request that reached it without verified claims', async () => {
    // Act
    const response = await get(randomUUID(), null);
    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('answers 404 with a reason for an unknown order', async () => {
    // Act
    const response = await get(randomUUID());
    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.json.message).toContain('was not found');
  });

  it('answers 400 for an id that is not a UUID', async () => {
    // Act
    const response = await get('42');
    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.json.issues).toEqual([{ field: 'id', message: '"42" is not a UUID' }]);
  });
});
