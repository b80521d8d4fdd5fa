/**
 * The end-to-end suite: orders placed over HTTP by signed-in customers, their outcomes awaited through GET, stock
 * and ledger read from DynamoDB, parked records read from the DLQ, all with real SDK clients
 * against whichever target runs the pipeline.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, StartReplayCommand, DescribeReplayCommand, DescribeEventBusCommand, DescribeArchiveCommand } from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '#shared/contracts';
import { isSettled, PIPELINE_GRAPH, TERMINAL_STATUSES } from '#shared/pipeline-graph';
import { anOrder } from '#test/support/factories';
import { until } from '#test/support/until';
import type { PipelineTarget, SkippedTarget } from './pipeline-target.ts';

type OrderView = { orderId: string; status: string; reason?: { code: string }; timeline: { type: string }[]; shipment?: { carrier: string }; order?: { customerId: string; items: unknown } };

/** Registers the suite against the target `resolve` gives, or one skipped suite saying why. */
export async function describeOrderPipeline(resolve: () => Promise<PipelineTarget | SkippedTarget>): Promise<void> {
  const target = await resolve();
  if ('skip' in target) {
    console.info(`order pipeline end to end: skipped, ${target.skip}`);
    // eslint-disable-next-line vitest/no-disabled-tests -- the report should show the suite and why its target is missing, not nothing
    describe.skip(`order pipeline end to end — skipped: ${target.skip}`, () => {
      it('needs its target', () => undefined);
    });
    return;
  }
  describe(`order pipeline end to end on the ${target.name}`, () => {
    const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient(target.clientConfig));
    const sqs = new SQSClient(target.clientConfig);
    const events = new EventBridgeClient(target.clientConfig);

    afterAll(async () => {
      dynamodb.destroy();
      sqs.destroy();
      events.destroy();
      await target.stop();
    });

    /** Every request is a customer's: `e2e-ada` unless another is named. */
    const CUSTOMER = 'e2e-ada';
    const place = async (order: Order, headers: Record<string, string> = {}, customer = CUSTOMER) => {
      const authorization = await target.tokens.authorizationOf(customer);
      const response = await fetch(`${target.httpApiUrl}/orders`, { method: 'POST', headers: { authorization, 'content-type': 'application/json', ...headers }, body: JSON.stringify(order) });
      return { status: response.status, location: response.headers.get('location'), body: (await response.json()) as { orderId: string; message?: string } };
    };
    const view = async (orderId: string, customer = CUSTOMER) => {
      const response = await fetch(`${target.httpApiUrl}/orders/${orderId}`, { headers: { authorization: await target.tokens.authorizationOf(customer) } });
      return { status: response.status, body: (await response.json()) as OrderView };
    };
    /** Polls GET /orders/{id} until the order is settled, in a terminal status. */
    const settled = async (orderId: string, timeoutMs = 15_000): Promise<OrderView> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status, body } = await view(orderId);
        if (status === 200 && (TERMINAL_STATUSES as readonly string[]).includes(body.status) && isSettled(body.timeline)) return body;
        if (Date.now() > deadline) throw new Error(`order ${orderId} did not settle in ${timeoutMs} ms (last: ${status} ${JSON.stringify(body)})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const stock = async (sku: string) => {
      const { Item } = await dynamodb.send(new GetCommand({ TableName: target.inventoryTableName, Key: { sku }, ConsistentRead: true }));
      return { available: Number(Item?.available), reserved: Number(Item?.reserved), shipped: Number(Item?.shipped) };
    };
    const ledger = async (orderId: string) =>
      (await dynamodb.send(new QueryCommand({ TableName: target.ledgerTableName, KeyConditionExpression: 'orderId = :id', ExpressionAttributeValues: { ':id': orderId }, ConsistentRead: true }))).Items ?? [];

    it('fulfils an order: notified, shipped, and its units move from available to shipped', async () => {
      // Prepare
      const before = await stock('SKU-MONITOR');
      // Act
      const placed = await place(anOrder({ items: [{ sku: 'SKU-MONITOR', quantity: 2 }] }));
      const order = await settled(placed.body.orderId);
      // Assess
      expect(placed.status).toBe(202);
      expect(placed.location).toBe(`/orders/${placed.body.orderId}`);
      expect(order.status).toBe('notified');
      expect(order.timeline.map((entry) => entry.type)).toEqual(PIPELINE_GRAPH.path().events);
      expect(await stock('SKU-MONITOR')).toEqual({ available: before.available - 2, reserved: before.reserved, shipped: before.shipped + 2 });
    });

    it('cancels an out-of-stock order with its reason and reserves nothing', async () => {
      // Prepare
      const before = await stock('SKU-KEYBOARD');
      // Act
      const placed = await place(anOrder({ items: [{ sku: 'SKU-KEYBOARD', quantity: 1 }, { sku: 'SKU-SOLD-OUT', quantity: 1 }] }));
      const order = await settled(placed.body.orderId);
      // Assess
      expect(order).toMatchObject({ status: 'cancelled', reason: { code: 'OUT_OF_STOCK' } });
      expect(await stock('SKU-KEYBOARD')).toEqual(before);
    });

    it.each([
      ['a declining card', { paymentToken: 'tok_decline', items: [{ sku: 'SKU-CABLE', quantity: 3 }] }, 'CARD_DECLINED'],
      ['an amount above the limit', { items: [{ sku: 'SKU-LAPTOP', quantity: 6 }] }, 'AMOUNT_LIMIT_EXCEEDED'],
    ])('cancels an order paid with %s and restores its inventory', async (_case, overrides, code) => {
      // Prepare
      const sku = (overrides.items[0] as { sku: string }).sku;
      const before = await stock(sku);
      // Act
      const placed = await place(anOrder(overrides));
      const order = await settled(placed.body.orderId);
      // Assess
      expect(order).toMatchObject({ status: 'cancelled', reason: { code } });
      expect(order.timeline.map((entry) => entry.type)).toContain('InventoryReleased');
      expect(await stock(sku)).toEqual(before);
    });

    it('returns the same order for a retried POST with the same Idempotency-Key, and fulfils it once', async () => {
      // Prepare
      const order = anOrder({ items: [{ sku: 'SKU-MOUSE', quantity: 1 }] });
      const key = randomUUID();
      // Act
      const first = await place(order, { 'Idempotency-Key': key });
      await settled(first.body.orderId);
      const retry = await place(order, { 'Idempotency-Key': key });
      // Assess
      expect(retry.status).toBe(202);
      expect(retry.body.orderId).toBe(first.body.orderId);
      expect((await ledger(first.body.orderId)).filter((item) => item.step === 'capture-payment')).toHaveLength(1);
    });

    it('answers 400 with every problem and 404 for an unknown order', async () => {
      // Act
      const invalid = await fetch(`${target.httpApiUrl}/orders`, { method: 'POST', headers: { authorization: await target.tokens.authorizationOf(CUSTOMER) }, body: '{"items":[{"sku":"x","quantity":0}]}' });
      const unknown = await view(randomUUID());
      // Assess
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { issues: unknown[] }).issues.length).toBeGreaterThanOrEqual(4);
      expect(unknown.status).toBe(404);
    });

    it("places the order in the token's customer's name, whatever the body claims, and shows it without personal data", async () => {
      // Prepare
      const ada = await target.tokens.tokenOf(CUSTOMER);
      const order = anOrder({ customer: { customerId: 'someone-else', email: 'someone@example.com', name: 'Ada' } });
      // Act
      const placed = await place(order);
      // Assess
      const shown = (await view(placed.body.orderId)).body as OrderView;
      expect(placed.status).toBe(202);
      expect(shown.order).toEqual({ customerId: ada.sub, items: order.items });
      expect(JSON.stringify(shown)).not.toContain(order.shippingAddress.line1);
    });

    it.each([
      ['no token', undefined],
      ['a token that is no JWT', 'Bearer not-a-token'],
      ['a token whose signature was altered', 'tampered'],
    ])('refuses a request with %s: 401 from API Gateway, nothing placed', async (_case, authorization) => {
      // Prepare
      const token = (await target.tokens.tokenOf(CUSTOMER)).idToken;
      const [header, payload, signature = ''] = token.split('.');
      const tampered = `Bearer ${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (authorization !== undefined) headers.authorization = authorization === 'tampered' ? tampered : authorization;
      // Act
      const response = await fetch(`${target.httpApiUrl}/orders`, { method: 'POST', headers, body: JSON.stringify(anOrder()) });
      // Assess
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
    });

    it("answers another customer's GET of an order with 404, as for an order that does not exist", async () => {
      // Prepare
      const placed = await place(anOrder({ items: [{ sku: 'SKU-MOUSE', quantity: 1 }] }));
      // Act
      const byOwner = await view(placed.body.orderId);
      const byStranger = await view(placed.body.orderId, 'e2e-grace');
      // Assess
      expect(byOwner.status).toBe(200);
      expect(byStranger.status).toBe(404);
      expect(JSON.stringify(byStranger.body)).not.toContain('Ada');
    });

    it('makes two orders of the same Idempotency-Key from two customers', async () => {
      // Prepare
      const key = randomUUID();
      // Act
      const fromAda = await place(anOrder({ items: [{ sku: 'SKU-MOUSE', quantity: 1 }] }), { 'Idempotency-Key': key });
      const fromGrace = await place(anOrder({ items: [{ sku: 'SKU-CABLE', quantity: 1 }] }), { 'Idempotency-Key': key }, 'e2e-grace');
      // Assess
      expect([fromAda.status, fromGrace.status]).toEqual([202, 202]);
      expect(fromGrace.body.orderId).not.toBe(fromAda.body.orderId);
      expect((await view(fromGrace.body.orderId, 'e2e-grace')).status).toBe(200);
    });

    it('parks a poison event in the step DLQ with its cause while the rest of the batch is processed', async () => {
      // Prepare: a schema-invalid OrderPlaced put straight on the bus, next to a valid order.
      const poisonId = randomUUID();
      const [dlqUrl] = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'OrderPipeline-ReserveInventoryDeadLetterQueue' }))).QueueUrls ?? [];
      // Act
      await events.send(new PutEventsCommand({ Entries: [{ EventBusName: target.eventBusName, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ schemaVersion: 2, orderId: poisonId, order: { items: 'none' } }) }] }));
      const valid = await place(anOrder());
      // Assess
      expect((await settled(valid.body.orderId)).status).toBe('notified');
      const parked = await receiveUntil(sqs, dlqUrl as string, (body) => body.includes(poisonId));
      expect(parked.MessageAttributes?.errorName?.StringValue).toBe('ValidationError');
      expect(parked.MessageAttributes?.errorMessage?.StringValue).toContain('OrderPlaced detail is invalid');
      expect(parked.MessageAttributes?.orderId?.StringValue).toBe(poisonId);
    });

    it('replays archived events without doubling any order’s effects', async () => {
      // Prepare
      const from = new Date(Date.now() - 1_000);
      const placed = await place(anOrder({ items: [{ sku: 'SKU-CABLE', quantity: 4 }] }));
      await settled(placed.body.orderId);
      const stockBefore = await stock('SKU-CABLE');
      const ledgerBefore = await ledger(placed.body.orderId);
      const { Arn: busArn } = await events.send(new DescribeEventBusCommand({ Name: target.eventBusName }));
      const { ArchiveArn } = await events.send(new DescribeArchiveCommand({ ArchiveName: target.archiveName }));
      const replayName = `e2e-${randomUUID().slice(0, 8)}`;
      // Act
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await events.send(new StartReplayCommand({ ReplayName: replayName, EventSourceArn: ArchiveArn, EventStartTime: from, EventEndTime: new Date(), Destination: { Arn: busArn } }));
      await until(async () => (await events.send(new DescribeReplayCommand({ ReplayName: replayName }))).State === 'COMPLETED', { timeoutMs: 10_000, intervalMs: 100 });
      const replay = await events.send(new DescribeReplayCommand({ ReplayName: replayName }));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Assess: the order's events were sent again, and nothing changed.
      expect(replay.EventLastReplayedTime).toBeDefined();
      expect(await stock('SKU-CABLE')).toEqual(stockBefore);
      expect(await ledger(placed.body.orderId)).toEqual(ledgerBefore);
      expect((await view(placed.body.orderId)).body.status).toBe('notified');
    });
  });
}

async function receiveUntil(sqs: SQSClient, queueUrl: string, wanted: (body: string) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], VisibilityTimeout: 0 }));
    const match = Messages?.find((message) => wanted(message.Body ?? ''));
    if (match) return match;
  }
  throw new Error(`no matching message on ${queueUrl} in ${timeoutMs} ms`);
}
