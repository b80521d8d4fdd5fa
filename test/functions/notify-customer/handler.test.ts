import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notifyCustomer } from '#shared/steps/notify-customer';
import { anEnvelope, anOrder, anSqsRecord } from '#test/support/factories';
import { startTestDynamoDb, type TestDynamoDb } from '#test/support/local-dynamodb';
import { stepHarness, type StepHarness } from '#test/support/step-harness';

describe('notify-customer handler', () => {
  let db: TestDynamoDb;
  let step: StepHarness;
  const { customer } = anOrder();
  const shipped = (orderId: string) => anEnvelope('OrderShipped', { schemaVersion: 1, orderId, customer, shipment: { carrier: 'UPS', trackingNumber: '1Z0000000000000001' } });

  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    step = await stepHarness(db, 'notify-customer', notifyCustomer, ({ ledger }) => ({ ledger }));
  });

  it('records the shipping notification and publishes CustomerNotified', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    await step.deliver(anSqsRecord(shipped(orderId)));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'CustomerNotified', detail: { orderId, outcome: 'shipped', recipient: customer.email } });
    expect(await step.ledgerItems(orderId)).toEqual([expect.objectContaining({ step: 'notify-customer#shipped' })]);
  });

  it('notifies of a cancellation', async () => {
    // Act
    await step.deliver(anSqsRecord(anEnvelope('OrderCancelled', { schemaVersion: 1, orderId: randomUUID(), customer, reason: { code: 'CARD_DECLINED', message: 'declined' } })));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detail: { outcome: 'cancelled' } });
  });

  it('records one notification per outcome however often it is delivered', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    await step.deliver(anSqsRecord(shipped(orderId)), anSqsRecord(shipped(orderId)), anSqsRecord(shipped(orderId)));
    // Assess
    expect(await step.ledgerItems(orderId)).toHaveLength(1);
  });

  it('parks a record that is not JSON at once, with the reason', async () => {
    // Act
    const response = await step.deliver(anSqsRecord('not json'), anSqsRecord(shipped(randomUUID())));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.parking.parked).toEqual([{ body: 'not json', reason: expect.objectContaining({ errorName: 'ValidationError', errorMessage: expect.stringContaining('not valid JSON') }) }]);
    expect(step.publisher.types()).toEqual(['CustomerNotified']);
  });
});
