import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { projectOrder } from '#shared/steps/project-order';
import { anEnvelope, aPlacedOrder, anSqsRecord } from '#test/support/factories';
import { startTestDynamoDb, type TestDynamoDb } from '#test/support/local-dynamodb';
import { stepHarness, type StepHarness } from '#test/support/step-harness';
import type { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { metrics, OrderMetric } from '#shared/runtime/observability';

describe('project-order handler', () => {
  let db: TestDynamoDb;
  let step: StepHarness<'project-order'>;
  let views: DynamoDbOrderViews;
  const order = aPlacedOrder();
  const at = (second: number) => new Date(Date.UTC(2026, 10, 22, 12, 0, second)).toISOString();
  const lifeOf = (orderId: string) => [
    anEnvelope('OrderPlaced', { schemaVersion: 2, orderId, order, placedAt: at(0) }, { time: at(0) }),
    anEnvelope('InventoryReserved', { schemaVersion: 2, orderId, order, amountCents: 14_700, currency: 'USD' }, { time: at(1) }),
    anEnvelope('PaymentCaptured', { schemaVersion: 2, orderId, order, paymentId: 'pay_1', amountCents: 14_700 }, { time: at(2) }),
    anEnvelope('OrderShipped', { schemaVersion: 2, orderId, shipment: { carrier: 'DHL', trackingNumber: 'JD1' } }, { time: at(3) }),
    anEnvelope('CustomerNotified', { schemaVersion: 2, orderId, outcome: 'shipped', channel: 'email' }, { time: at(4) }),
  ];

  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db.close());
  afterEach(() => vi.restoreAllMocks());
  beforeEach(async () => {
    step = await stepHarness(db, 'project-order', projectOrder);
    views = step.adapters.views;
  });

  it('builds the read model with status and timeline from each event', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    for (const body of lifeOf(orderId)) await step.deliver(anSqsRecord(body));
    // Assess
    const view = await views.get(orderId);
    expect(view).toMatchObject({ status: 'notified', amountCents: 14_700, paymentId: 'pay_1', shipment: { carrier: 'DHL' } });
    expect(view?.timeline.map((entry) => entry.type)).toEqual(['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderShipped', 'CustomerNotified']);
    expect(step.publisher.events).toEqual([]);
  });

  it('moves status only forward when events arrive out of order, all in one batch', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act: the whole life reversed, delivered concurrently in one batch.
    const response = await step.deliver(...lifeOf(orderId).reverse().map((body) => anSqsRecord(body)));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const view = await views.get(orderId);
    expect(view?.status).toBe('notified');
    expect(view?.timeline).toHaveLength(5);
    expect(view?.timeline.map((entry) => entry.at)).toEqual([at(0), at(1), at(2), at(3), at(4)]);
  });

  it("applies a batch's events of one order with one write of the view", async () => {
    // Prepare
    const orderId = randomUUID();
    const [placed, ...rest] = lifeOf(orderId);
    await step.deliver(anSqsRecord(placed as string));
    // Act
    const response = await step.deliver(...rest.map((body) => anSqsRecord(body)));
    // Assess: version counts the writes, one per delivery.
    expect(response.batchItemFailures).toEqual([]);
    expect(await views.get(orderId)).toMatchObject({ status: 'notified', version: 2 });
  });

  it('fails every record of an order whose view could not be written, and keeps the others', async () => {
    // Prepare: writes of the first order's view fail.
    const [failing, succeeding] = [randomUUID(), randomUUID()];
    const flaky = {
      get: views.get.bind(views),
      save: async (view: Parameters<typeof views.save>[0]) => {
        if (view.orderId === failing) throw new Error('DynamoDB unavailable');
        await views.save(view);
      },
    };
    const flakyStep = await stepHarness(db, 'project-order', projectOrder, { ports: { orderViews: flaky } });
    const records = [...lifeOf(failing).slice(0, 2), ...lifeOf(succeeding).slice(0, 2)].map((body) => anSqsRecord(body));
    // Act
    const response = await flakyStep.deliver(...records);
    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(records.slice(0, 2).map((record) => record.messageId).sort());
    expect((await views.get(succeeding))?.timeline).toHaveLength(2);
    expect(await views.get(failing)).toBeUndefined();
  });

  it('orders events of the same second by the order life cycle', async () => {
    // Prepare
    const orderId = randomUUID();
    const sameSecond = lifeOf(orderId).map((body) => JSON.stringify({ ...JSON.parse(body), time: at(7) }));
    // Act
    await step.deliver(...sameSecond.reverse().map((body) => anSqsRecord(body)));
    // Assess
    expect((await views.get(orderId))?.timeline.map((entry) => entry.type)).toEqual(['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderShipped', 'CustomerNotified']);
  });

  it('applies a replayed or republished event once', async () => {
    // Prepare
    const orderId = randomUUID();
    const [placed] = lifeOf(orderId);
    // Act
    await step.deliver(anSqsRecord(placed as string));
    await step.deliver(anSqsRecord(anEnvelope('OrderPlaced', { schemaVersion: 2, orderId, order, placedAt: at(0) })));
    // Assess
    expect((await views.get(orderId))?.timeline).toHaveLength(1);
  });

  it('shows a cancelled order with its reason, and a later notification leaves it cancelled', async () => {
    // Prepare
    const orderId = randomUUID();
    const reason = { code: 'OUT_OF_STOCK' as const, message: 'out of stock: SKU-SOLD-OUT', skus: ['SKU-SOLD-OUT'] };
    // Act
    await step.deliver(
      anSqsRecord(anEnvelope('OrderPlaced', { schemaVersion: 2, orderId, order, placedAt: at(0) }, { time: at(0) })),
      anSqsRecord(anEnvelope('InventoryRejected', { schemaVersion: 2, orderId, reason }, { time: at(1) })),
    );
    await step.deliver(anSqsRecord(anEnvelope('OrderCancelled', { schemaVersion: 2, orderId, reason }, { time: at(2) })));
    await step.deliver(anSqsRecord(anEnvelope('CustomerNotified', { schemaVersion: 2, orderId, outcome: 'cancelled', channel: 'email' }, { time: at(3) })));
    // Assess
    expect(await views.get(orderId)).toMatchObject({ status: 'cancelled', reason });
  });

  it('measures placed to final status once per order, when its view first shows a terminal status', async () => {
    // Prepare: an order placed 2 s ago, its life delivered in three batches.
    const orderId = randomUUID();
    const placedAt = new Date(Date.now() - 2_000).toISOString();
    const [, ...rest] = lifeOf(orderId);
    const added = vi.spyOn(metrics, 'addMetric');
    // Act
    await step.deliver(anSqsRecord(anEnvelope('OrderPlaced', { schemaVersion: 2, orderId, order, placedAt }, { time: at(0) })));
    await step.deliver(...rest.map((body) => anSqsRecord(body)));
    await step.deliver(anSqsRecord(rest.at(-1) as string));
    // Assess
    const latencies = added.mock.calls.filter(([name]) => name === OrderMetric.latency);
    expect(latencies).toHaveLength(1);
    expect(latencies[0]?.[1]).toBe('Milliseconds');
    expect(latencies[0]?.[2]).toBeGreaterThanOrEqual(2_000);
    expect(latencies[0]?.[2]).toBeLessThan(60_000);
  });

  it('does not measure an order that never reached a final status', async () => {
    // Prepare
    const orderId = randomUUID();
    const added = vi.spyOn(metrics, 'addMetric');
    // Act
    await step.deliver(...lifeOf(orderId).slice(0, 3).map((body) => anSqsRecord(body)));
    // Assess
    expect(added.mock.calls.filter(([name]) => name === OrderMetric.latency)).toEqual([]);
  });
});
