import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { applyEvent } from '#shared/order-view';
import { listOrdersHandler, nextTokenOf, ORDER_PAGE_LIMIT } from '../../../functions/list-orders/list-orders-handler.ts';
import { A_CUSTOMER_CLAIMS, anHttpRequest, aPlacedOrder } from '#test/support/factories';
import { startTestDynamoDb, type TestDynamoDb } from '#test/support/local-dynamodb';

const GRACE = { sub: 'customer-2', email: 'grace@example.com' } as const;

interface ListAnswer {
  statusCode: number;
  json: { orders?: { orderId: string; placedAt: string; status: string }[]; nextToken?: string; message?: string; issues?: { field: string; message: string }[] };
}

describe('list-orders handler (GET /orders)', () => {
  let db: TestDynamoDb;
  let views: DynamoDbOrderViews;
  let list: (query?: Record<string, string>, claims?: Record<string, string> | null) => Promise<ListAnswer>;

  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    const tables = await db.createTables();
    views = new DynamoDbOrderViews({ client: db.client, ordersTableName: tables.orders });
    const handler = listOrdersHandler({ orderLister: views });
    list = async (query, claims) => {
      const response = (await handler(anHttpRequest({ method: 'GET', path: '/orders', ...(query ? { queryStringParameters: query } : {}), ...(claims !== undefined ? { claims } : {}) }))) as { statusCode: number; body: string };
      return { statusCode: response.statusCode, json: JSON.parse(response.body) };
    };
  });

  /** Saves the view of an order `customerId` placed at `placedAt`; returns its id. */
  async function placed(customerId: string, placedAt: string): Promise<string> {
    const orderId = randomUUID();
    const order = aPlacedOrder({ customerId });
    const view = applyEvent(undefined, { detailType: 'OrderPlaced', detail: { schemaVersion: 2, orderId, order, placedAt }, time: placedAt });
    await views.save({ ...view!, version: 1 });
    return orderId;
  }

  /** Every page, following nextToken, `limit` orders at a time. */
  async function allPages(limit: number, claims?: Record<string, string>): Promise<{ pages: ListAnswer[]; ids: string[] }> {
    const pages: ListAnswer[] = [];
    let nextToken: string | undefined;
    do {
      const page = await list({ limit: String(limit), ...(nextToken ? { nextToken } : {}) }, claims);
      pages.push(page);
      nextToken = page.json.nextToken;
    } while (nextToken !== undefined && pages.length < 20);
    return { pages, ids: pages.flatMap((page) => (page.json.orders ?? []).map((order) => order.orderId)) };
  }

  it("lists the caller's orders newest first, each with its status and times, nothing of the order itself", async () => {
    // Prepare
    const oldest = await placed(A_CUSTOMER_CLAIMS.sub, '2026-11-22T12:00:00.000Z');
    const newest = await placed(A_CUSTOMER_CLAIMS.sub, '2026-11-22T12:00:02.000Z');
    const middle = await placed(A_CUSTOMER_CLAIMS.sub, '2026-11-22T12:00:01.000Z');
    await placed(GRACE.sub, '2026-11-22T12:00:03.000Z');
    // Act
    const response = await list();
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.json.orders).toEqual([
      { orderId: newest, status: 'placed', placedAt: '2026-11-22T12:00:02.000Z', updatedAt: '2026-11-22T12:00:02.000Z' },
      { orderId: middle, status: 'placed', placedAt: '2026-11-22T12:00:01.000Z', updatedAt: '2026-11-22T12:00:01.000Z' },
      { orderId: oldest, status: 'placed', placedAt: '2026-11-22T12:00:00.000Z', updatedAt: '2026-11-22T12:00:00.000Z' },
    ]);
    expect(JSON.stringify(response.json)).not.toContain('tok_visa');
  });

  it('pages join to the whole list, newest first, without duplicates, even where orders share a placing time', async () => {
    // Prepare
    const times = ['2026-11-22T12:00:00.000Z', '2026-11-22T12:00:01.000Z', '2026-11-22T12:00:01.000Z', '2026-11-22T12:00:01.000Z', '2026-11-22T12:00:02.000Z'];
    const ids = await Promise.all(times.map((time) => placed(A_CUSTOMER_CLAIMS.sub, time)));
    // Act
    const { pages, ids: listed } = await allPages(2);
    // Assess
    expect(pages.every((page) => page.statusCode === 200 && (page.json.orders?.length ?? 0) <= 2)).toBe(true);
    expect(listed).toHaveLength(ids.length);
    expect(new Set(listed)).toEqual(new Set(ids));
    const placedTimes = pages.flatMap((page) => page.json.orders!.map((order) => order.placedAt));
    expect(placedTimes).toEqual([...placedTimes].sort().reverse());
  });

  it("gives another customer none of the caller's orders, even with the caller's nextToken", async () => {
    // Prepare
    await placed(A_CUSTOMER_CLAIMS.sub, '2026-11-22T12:00:00.000Z');
    await placed(A_CUSTOMER_CLAIMS.sub, '2026-11-22T12:00:01.000Z');
    const first = await list({ limit: '1' });
    // Act
    const none = await list(undefined, GRACE);
    const withToken = await list({ nextToken: first.json.nextToken! }, GRACE);
    // Assess
    expect(first.json.nextToken).toBeDefined();
    expect(none).toEqual({ statusCode: 200, json: { orders: [] } });
    expect(withToken).toEqual({ statusCode: 200, json: { orders: [] } });
  });

  it('answers an empty list, without a nextToken, to a customer with no orders', async () => {
    // Act
    const response = await list();
    // Assess
    expect(response).toEqual({ statusCode: 200, json: { orders: [] } });
  });

  it('never puts the customer in a nextToken', async () => {
    // Prepare
    await placed(A_CUSTOMER_CLAIMS.sub, '2026-11-22T12:00:00.000Z');
    await placed(A_CUSTOMER_CLAIMS.sub, '2026-11-22T12:00:01.000Z');
    // Act
    const { json } = await list({ limit: '1' });
    // Assess
    expect(Buffer.from(json.nextToken!, 'base64url').toString('utf8')).not.toContain(A_CUSTOMER_CLAIMS.sub);
  });

  it.each([
    ['0', 'limit'],
    [String(ORDER_PAGE_LIMIT.max + 1), 'limit'],
    ['1.5', 'limit'],
    ['ten', 'limit'],
  ])('answers 400 naming the field for limit=%s', async (limit, field) => {
    // Act
    const response = await list({ limit });
    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.json.issues?.map((issue) => issue.field)).toEqual([field]);
  });

  it.each([
    ['not base64 JSON', 'not-a-token'],
    ['JSON of something else', Buffer.from(JSON.stringify({ customerId: 'customer-2' })).toString('base64url')],
    ['a position whose order id is not a UUID', nextTokenOf({ placedAt: '2026-11-22T12:00:00.000Z', orderId: '42' })],
  ])('answers 400 with a reason for a nextToken that is %s', async (_what, nextToken) => {
    // Act
    const response = await list({ nextToken });
    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.json.issues).toEqual([{ field: 'nextToken', message: expect.stringContaining('is not a nextToken this API gave out') }]);
  });

  it('answers 401 to a request that reached it without verified claims', async () => {
    // Act
    const response = await list(undefined, null);
    // Assess
    expect(response.statusCode).toBe(401);
  });
});
