import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { notifyCustomer } from '#shared/steps/notify-customer';
import { aContactOf, anEnvelope, anSqsRecord } from '#test/support/factories';
import { useStepHarness } from '#test/support/step-harness';

describe('notify-customer handler', () => {
  const step = useStepHarness('notify-customer', notifyCustomer);
  /** An OrderShipped event for a placed order (its contact kept) that ship-order did ship. */
  const shipped = async (orderId: string) => {
    await step.adapters.orderContacts.keep(orderId, aContactOf());
    await step.given(orderId, 'OrderShipped');
    return shippedEvent(orderId);
  };
  const shippedEvent = (orderId: string) => anEnvelope('OrderShipped', { schemaVersion: 2, orderId, shipment: { carrier: 'UPS', trackingNumber: '1Z0000000000000001' } });

  it('records the shipping notification and publishes CustomerNotified', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    await step.deliver(anSqsRecord(await shipped(orderId)));
    // Assess
    expect(step.publisher.events[0]).toEqual({ detailType: 'CustomerNotified', detail: { schemaVersion: 2, orderId, outcome: 'shipped', channel: 'email' } });
    expect((await step.ledgerItems(orderId)).filter((item) => String(item.step).startsWith('notify-customer'))).toEqual([expect.objectContaining({ step: 'notify-customer#shipped' })]);
  });

  it('notifies of a cancellation', async () => {
    // Prepare
    const orderId = randomUUID();
    await step.adapters.orderContacts.keep(orderId, aContactOf());
    await step.given(orderId, 'OrderCancelled');
    // Act
    await step.deliver(anSqsRecord(anEnvelope('OrderCancelled', { schemaVersion: 2, orderId, reason: { code: 'CARD_DECLINED', message: 'declined' } })));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detail: { outcome: 'cancelled' } });
  });

  it('records one notification per outcome however often it is delivered', async () => {
    // Prepare
    const orderId = randomUUID();
    const record = await shipped(orderId);
    // Act
    await step.deliver(anSqsRecord(record), anSqsRecord(record), anSqsRecord(record));
    // Assess
    expect((await step.ledgerItems(orderId)).filter((item) => String(item.step).startsWith('notify-customer'))).toHaveLength(1);
  });

  it('parks at once a shipment notice for an order ship-order never shipped', async () => {
    // Act
    await step.deliver(anSqsRecord(shippedEvent(randomUUID())));
    // Assess
    expect(step.publisher.events).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'UnknownOrderError', receiveCount: 1 });
  });

  it('parks at once an outcome of an order without a contact: there is no one to tell', async () => {
    // Prepare
    const orderId = randomUUID();
    await step.given(orderId, 'OrderShipped');
    // Act
    await step.deliver(anSqsRecord(shippedEvent(orderId)));
    // Assess
    expect(step.publisher.events).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'OrderContactUnavailableError', receiveCount: 1 });
    expect(await step.ledgerItems(orderId)).toHaveLength(1);
  });

  it('parks a record that is not JSON at once, with the reason', async () => {
    // Act
    const response = await step.deliver(anSqsRecord('not json'), anSqsRecord(await shipped(randomUUID())));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.parking.parked).toEqual([{ body: 'not json', reason: expect.objectContaining({ errorName: 'ValidationError', errorMessage: expect.stringContaining('not valid JSON') }) }]);
    expect(step.publisher.types()).toEqual(['CustomerNotified']);
  });
});
