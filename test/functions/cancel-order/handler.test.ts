import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cancelOrder } from '#shared/steps/cancel-order';
import { anEnvelope, anSqsRecord } from '#test/support/factories';
import { useStepHarness } from '#test/support/step-harness';

describe('cancel-order handler', () => {
  const step = useStepHarness('cancel-order', cancelOrder);


  it('cancels after a rejection, keeping the reason', async () => {
    // Prepare
    const orderId = randomUUID();
    await step.given(orderId, 'InventoryRejected');
    // Act
    await step.deliver(anSqsRecord(anEnvelope('InventoryRejected', { schemaVersion: 2, orderId, reason: { code: 'OUT_OF_STOCK', message: 'out of stock: SKU-SOLD-OUT', skus: ['SKU-SOLD-OUT'] } })));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'OrderCancelled', detail: { reason: { code: 'OUT_OF_STOCK', skus: ['SKU-SOLD-OUT'] } } });
  });

  it('cancels after a release, keeping the decline reason', async () => {
    // Prepare
    const orderId = randomUUID();
    await step.given(orderId, 'InventoryReleased');
    // Act
    await step.deliver(anSqsRecord(anEnvelope('InventoryReleased', { schemaVersion: 2, orderId, reason: { code: 'CARD_DECLINED', message: 'declined' } })));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'OrderCancelled', detail: { reason: { code: 'CARD_DECLINED' } } });
  });

  it('records one cancellation per order', async () => {
    // Prepare
    const orderId = randomUUID();
    await step.given(orderId, 'InventoryRejected');
    const rejected = anEnvelope('InventoryRejected', { schemaVersion: 2, orderId, reason: { code: 'UNKNOWN_SKU', message: 'unknown' } });
    // Act
    await step.deliver(anSqsRecord(rejected), anSqsRecord(rejected));
    // Assess
    expect((await step.ledgerItems(orderId)).filter((item) => item.step === 'cancel-order')).toHaveLength(1);
    expect(step.publisher.types()).toEqual(['OrderCancelled', 'OrderCancelled']);
  });

  it('parks at once a release for an order release-inventory never released', async () => {
    // Act
    await step.deliver(anSqsRecord(anEnvelope('InventoryReleased', { schemaVersion: 2, orderId: randomUUID(), reason: { code: 'CARD_DECLINED', message: 'declined' } })));
    // Assess
    expect(step.publisher.events).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'UnknownOrderError', receiveCount: 1 });
  });

  it('parks an event it does not consume, with the reason', async () => {
    // Act
    const response = await step.deliver(anSqsRecord(anEnvelope('OrderShipped', { schemaVersion: 2, orderId: randomUUID(), shipment: { carrier: 'UPS', trackingNumber: '1Z' } })));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.parking.parked[0]?.reason.errorMessage).toContain('"OrderShipped" is not one of InventoryRejected, InventoryReleased');
  });
});
