import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reserveInventory } from '#shared/steps/reserve-inventory';
import { anEnvelope, aPlacedOrder, anSqsRecord } from '#test/support/factories';
import { useStepHarness } from '#test/support/step-harness';
import type { PlacedOrder } from '#shared/contracts';

const placed = (order: PlacedOrder, orderId = randomUUID()) => anEnvelope('OrderPlaced', { schemaVersion: 2, orderId, order, placedAt: new Date().toISOString() });

describe('reserve-inventory handler', () => {
  const step = useStepHarness('reserve-inventory', reserveInventory);


  it('reserves every line, prices the order and publishes InventoryReserved', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    const response = await step.deliver(anSqsRecord(placed(aPlacedOrder(), orderId)));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.publisher.events).toEqual([expect.objectContaining({ detailType: 'InventoryReserved', detail: expect.objectContaining({ orderId, amountCents: 8_900 + 2 * 2_900 }) })]);
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 999_998, reserved: 2, shipped: 0 });
  });

  it('rejects an order for more than the stock, reserving nothing', async () => {
    // Act
    await step.deliver(anSqsRecord(placed(aPlacedOrder({ items: [{ sku: 'SKU-KEYBOARD', quantity: 1 }, { sku: 'SKU-SOLD-OUT', quantity: 1 }] }))));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'InventoryRejected', detail: { reason: { code: 'OUT_OF_STOCK', skus: ['SKU-SOLD-OUT'] } } });
    expect(await step.stock('SKU-KEYBOARD')).toEqual({ available: 1_000_000, reserved: 0, shipped: 0 });
  });

  it('deletes the payment intent of an order it rejects, which will never be paid, and keeps that of an order it reserves', async () => {
    // Prepare
    const [rejectedId, reservedId] = [randomUUID(), randomUUID()];
    const rejectedIntent = await step.adapters.paymentIntents.issue(rejectedId, 'tok_visa_rejected');
    const reservedIntent = await step.adapters.paymentIntents.issue(reservedId, 'tok_visa_reserved');
    const soldOut = aPlacedOrder({ items: [{ sku: 'SKU-SOLD-OUT', quantity: 1 }], paymentIntentId: rejectedIntent });
    // Act
    await step.deliver(anSqsRecord(placed(soldOut, rejectedId)), anSqsRecord(placed(aPlacedOrder({ paymentIntentId: reservedIntent }), reservedId)));
    const redelivery = await step.deliver(anSqsRecord(placed(soldOut, rejectedId), { receiveCount: 2 }));
    // Assess
    expect(step.publisher.types().sort()).toEqual(['InventoryRejected', 'InventoryRejected', 'InventoryReserved']);
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(await step.adapters.paymentIntents.find(rejectedIntent)).toBeUndefined();
    expect(await step.adapters.paymentIntents.find(reservedIntent)).toMatchObject({ orderId: reservedId, paymentToken: 'tok_visa_reserved' });
  });

  it('rejects an unknown SKU with its name', async () => {
    // Act
    await step.deliver(anSqsRecord(placed(aPlacedOrder({ items: [{ sku: 'SKU-UNICORN', quantity: 1 }] }))));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'InventoryRejected', detail: { reason: { code: 'UNKNOWN_SKU', skus: ['SKU-UNICORN'] } } });
  });

  it('treats a duplicate delivery as a no-op that republishes the same outcome', async () => {
    // Prepare
    const orderId = randomUUID();
    const body = placed(aPlacedOrder(), orderId);
    // Act: the same event delivered twice, and once more re-sent by EventBridge under a new id.
    await step.deliver(anSqsRecord(body));
    await step.deliver(anSqsRecord(body));
    await step.deliver(anSqsRecord(placed(aPlacedOrder(), orderId)));
    // Assess
    expect(step.publisher.types()).toEqual(['InventoryReserved', 'InventoryReserved', 'InventoryReserved']);
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 999_998, reserved: 2, shipped: 0 });
    expect(await step.ledgerItems(orderId)).toHaveLength(1);
  });

  it('keeps the first outcome when a duplicate races a sell-out', async () => {
    // Prepare: reserve, then the SKU sells out, then the duplicate arrives.
    await step.documents.send(new PutCommand({ TableName: step.tables.inventory, Item: { sku: 'SKU-LIMITED', unitPriceCents: 100, available: 3, reserved: 0, shipped: 0 } }));
    const orderId = randomUUID();
    const order = aPlacedOrder({ items: [{ sku: 'SKU-LIMITED', quantity: 2 }] });
    await step.deliver(anSqsRecord(placed(order, orderId)));
    await step.deliver(anSqsRecord(placed(aPlacedOrder({ items: [{ sku: 'SKU-LIMITED', quantity: 1 }] }))));
    // Act
    await step.deliver(anSqsRecord(placed(order, orderId)));
    // Assess
    expect(step.publisher.types()).toEqual(['InventoryReserved', 'InventoryReserved', 'InventoryReserved']);
    expect(await step.stock('SKU-LIMITED')).toEqual({ available: 0, reserved: 3, shipped: 0 });
  });

  it('fails only the bad record of a batch and parks it with the reason', async () => {
    // Prepare
    const good = anSqsRecord(placed(aPlacedOrder()));
    const bad = anSqsRecord(anEnvelope('OrderPlaced', { schemaVersion: 2, orderId: randomUUID(), order: { ...aPlacedOrder(), items: [] }, placedAt: new Date().toISOString() }));
    const alsoGood = anSqsRecord(placed(aPlacedOrder()));
    // Act
    const response = await step.deliver(good, bad, alsoGood);
    // Assess: the bad record is parked at once (no pointless retries), the others are processed.
    expect(response.batchItemFailures).toEqual([]);
    expect(step.publisher.types()).toEqual(['InventoryReserved', 'InventoryReserved']);
    expect(step.parking.parked).toEqual([
      { body: bad.body, reason: expect.objectContaining({ step: 'reserve-inventory', errorName: 'ValidationError', errorMessage: expect.stringContaining('order.items'), receiveCount: 1 }) },
    ]);
  });

  it('reports a publish failure as that record failing, and a redelivery publishes without reserving twice', async () => {
    // Prepare
    const orderId = randomUUID();
    const record = anSqsRecord(placed(aPlacedOrder(), orderId));
    step.publisher.failures = 1;
    // Act
    const first = await step.deliver(record, anSqsRecord(placed(aPlacedOrder())));
    const retry = await step.deliver(anSqsRecord(record.body, { receiveCount: 2 }));
    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(first.batchItemFailures[0]?.itemIdentifier).toBe(record.messageId);
    expect(retry.batchItemFailures).toEqual([]);
    expect(step.publisher.events.filter((event) => event.detail.orderId === orderId)).toHaveLength(1);
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 999_996, reserved: 4, shipped: 0 });
  });
});
