import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { shipOrder } from '#shared/steps/ship-order';
import { aContactOf, aPlacedOrder, anSqsRecord } from '#test/support/factories';
import { useStepHarness } from '#test/support/step-harness';

describe('ship-order handler', () => {
  const step = useStepHarness('ship-order', shipOrder);

  beforeEach(async () => {
    // The order's units are reserved, as reserve-inventory leaves them.
    for (const [sku, quantity] of [['SKU-KEYBOARD', 1], ['SKU-MOUSE', 2]] as const) {
      await step.documents.send(new UpdateCommand({ TableName: step.tables.inventory, Key: { sku }, UpdateExpression: 'ADD available :minus, reserved :plus', ExpressionAttributeValues: { ':minus': -quantity, ':plus': quantity } }));
    }
  });

  /** The capture the step consumes, for a placed order (its contact kept) whose payment was captured (its prerequisite recorded). */
  const captured = async (orderId: string, country = 'US') => {
    await step.adapters.orderContacts.keep(orderId, { ...aContactOf(), shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country } });
    await step.givenPrerequisite(orderId);
    return capturedEvent(orderId);
  };
  const capturedEvent = (orderId: string) => step.consumed({ schemaVersion: 2, orderId, order: aPlacedOrder(), paymentId: 'pay_1', amountCents: 14_700 });

  it('books a shipment with carrier and tracking number and moves the units to shipped', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    await step.deliver(anSqsRecord(await captured(orderId)));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'OrderShipped', detail: { orderId, shipment: { carrier: 'UPS', trackingNumber: expect.stringMatching(/^1Z[0-9]{16}$/) } } });
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 999_998, reserved: 0, shipped: 2 });
  });

  it('parks at once a capture for an order whose payment was never captured, shipping nothing', async () => {
    // Act
    const response = await step.deliver(anSqsRecord(capturedEvent(randomUUID())));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'UnknownOrderError', receiveCount: 1 });
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 999_998, reserved: 2, shipped: 0 });
  });

  it("parks at once a paid order without a contact (none kept, or expired), shipping nothing", async () => {
    // Prepare: the capture is genuine, but the order has no address to ship to.
    const orderId = randomUUID();
    await step.givenPrerequisite(orderId);
    // Act
    const response = await step.deliver(anSqsRecord(capturedEvent(orderId)));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'OrderContactUnavailableError', receiveCount: 1, errorMessage: expect.stringContaining(orderId) });
    expect(step.publisher.events).toEqual([]);
    expect(await step.stock('SKU-MOUSE')).toEqual({ available: 999_998, reserved: 2, shipped: 0 });
  });

  it('chooses the carrier by the destination of the order\'s contact', async () => {
    // Act
    await step.deliver(anSqsRecord(await captured(randomUUID(), 'DE')));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detail: { shipment: { carrier: 'DHL' } } });
  });

  it('ships once and announces the same shipment on a duplicate', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    await step.deliver(anSqsRecord(await captured(orderId)));
    await step.deliver(anSqsRecord(await captured(orderId)));
    // Assess
    const [first, second] = step.publisher.events;
    expect(second?.detail).toEqual(first?.detail);
    expect(await step.stock('SKU-KEYBOARD')).toEqual({ available: 999_999, reserved: 0, shipped: 1 });
  });
});
