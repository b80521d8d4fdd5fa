import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { releaseInventory } from '#shared/steps/release-inventory';
import { reserveInventory } from '#shared/steps/reserve-inventory';
import { stepProcess } from '#shared/steps/step';
import { aPlacedOrder, anSqsRecord } from '#test/support/factories';
import { useStepHarness } from '#test/support/step-harness';

describe('release-inventory handler', () => {
  const step = useStepHarness('release-inventory', releaseInventory);


  const reserveThenDecline = async (orderId: string) => {
    const order = aPlacedOrder();
    // Reserve through the real reserve step on the same tables.
    const reserve = stepProcess('reserve-inventory', reserveInventory, { catalogue: () => step.adapters.catalogue, ledger: () => step.adapters.ledger, paymentIntentDiscarder: () => step.adapters.paymentIntents });
    await reserve({ id: randomUUID(), detailType: 'OrderPlaced', time: new Date().toISOString(), detail: { schemaVersion: 2, orderId, order, placedAt: new Date().toISOString() } });
    await step.givenPrerequisite(orderId);
    return step.consumed({ schemaVersion: 2, orderId, order, reason: { code: 'CARD_DECLINED', message: 'the card was declined' } });
  };

  it('returns the reserved units and publishes InventoryReleased with the reason', async () => {
    // Prepare
    const orderId = randomUUID();
    const declined = await reserveThenDecline(orderId);
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 999_998, reserved: 2, shipped: 0 });
    // Act
    await step.deliver(anSqsRecord(declined));
    // Assess
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 1_000_000, reserved: 0, shipped: 0 });
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'InventoryReleased', detail: { orderId, reason: { code: 'CARD_DECLINED' } } });
  });

  it('releases once however often the decline is delivered', async () => {
    // Prepare
    const declined = await reserveThenDecline(randomUUID());
    // Act
    await step.deliver(anSqsRecord(declined), anSqsRecord(declined));
    await step.deliver(anSqsRecord(declined));
    // Assess
    expect(await step.stock('SKU-KEYBOARD')).toEqual({ available: 1_000_000, reserved: 0, shipped: 0 });
    expect(step.publisher.types()).toEqual(['InventoryReleased', 'InventoryReleased', 'InventoryReleased']);
  });

  it('parks at once a decline for an order whose payment was never declined', async () => {
    // Act
    const response = await step.deliver(anSqsRecord(step.consumed({ schemaVersion: 2, orderId: randomUUID(), order: aPlacedOrder(), reason: { code: 'CARD_DECLINED', message: 'declined' } })));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'UnknownOrderError', receiveCount: 1 });
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 1_000_000, reserved: 0, shipped: 0 });
  });

  it('refuses to release what was never reserved, and parks it on its last delivery with the cause', async () => {
    // Prepare: a recorded decline whose reservation does not exist (the ledger and stock disagree).
    const orderId = randomUUID();
    await step.givenPrerequisite(orderId);
    const declined = step.consumed({ schemaVersion: 2, orderId, order: aPlacedOrder(), reason: { code: 'CARD_DECLINED', message: 'declined' } });
    // Act
    const early = await step.deliver(anSqsRecord(declined, { receiveCount: 1 }));
    const last = await step.deliver(anSqsRecord(declined, { receiveCount: 4 }));
    // Assess
    expect(early.batchItemFailures).toHaveLength(1);
    expect(last.batchItemFailures).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'InsufficientStockError', receiveCount: 4 });
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 1_000_000, reserved: 0, shipped: 0 });
  });
});
