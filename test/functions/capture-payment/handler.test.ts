import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AMOUNT_LIMIT_CENTS } from '#shared/payment-gateway';
import { capturePayment } from '#shared/steps/capture-payment';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbPaymentIntents, PAYMENT_INTENT_TTL_SECONDS } from '#shared/adapters/dynamodb-payment-intents';
import { aPaymentIntentId, aPlacedOrder, anSqsRecord } from '#test/support/factories';
import { useStepHarness } from '#test/support/step-harness';

describe('capture-payment handler', () => {
  const step = useStepHarness('capture-payment', capturePayment);

  /** The event the step consumes: a reserved, priced order, paid for by the payment intent `paymentIntentId`. */
  const reservedEvent = (options: { paymentIntentId?: string; amountCents?: number; orderId?: string } = {}) =>
    step.consumed({
      schemaVersion: 2,
      orderId: options.orderId ?? randomUUID(),
      order: aPlacedOrder({ paymentIntentId: options.paymentIntentId ?? aPaymentIntentId() }),
      amountCents: options.amountCents ?? 14_700,
      currency: 'USD',
    });

  /** The intents place-order issued, by id (reserved() issues one per order). */
  const issued = new Map<string, string>();

  /**
   * That event, for an order placed with `paymentToken` (its payment intent issued as place-order
   * issues it) whose stock was reserved (its prerequisite recorded).
   */
  const reserved = async (options: { paymentToken?: string; amountCents?: number; orderId?: string } = {}) => {
    const orderId = options.orderId ?? randomUUID();
    await step.givenPrerequisite(orderId);
    const paymentIntentId = issued.get(orderId) ?? (await step.adapters.paymentIntents.issue(orderId, options.paymentToken ?? 'tok_visa'));
    issued.set(orderId, paymentIntentId);
    return reservedEvent({ ...options, orderId, paymentIntentId });
  };

  /** The stored payment intent, if it is still in the table. */
  const storedIntent = async (paymentIntentId: string) =>
    (await step.documents.send(new GetCommand({ TableName: step.tables.paymentIntents, Key: { paymentIntentId }, ConsistentRead: true }))).Item;

  it('captures the amount and publishes PaymentCaptured', async () => {
    // Act
    await step.deliver(anSqsRecord(await reserved({ amountCents: 14_700 })));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'PaymentCaptured', detail: { amountCents: 14_700, paymentId: expect.stringMatching(/^pay_/) } });
  });

  it.each([
    ['a declining token', { paymentToken: 'tok_decline_4f2a' }, 'CARD_DECLINED'],
    ['an empty account', { paymentToken: 'tok_insufficient_funds_9c1e' }, 'INSUFFICIENT_FUNDS'],
    ['an amount above the limit', { amountCents: AMOUNT_LIMIT_CENTS + 1 }, 'AMOUNT_LIMIT_EXCEEDED'],
  ])('declines %s with PaymentDeclined', async (_case, options, code) => {
    // Act
    await step.deliver(anSqsRecord(await reserved(options)));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'PaymentDeclined', detail: { reason: { code } } });
  });

  it('captures an amount exactly at the limit', async () => {
    // Act
    await step.deliver(anSqsRecord(await reserved({ amountCents: AMOUNT_LIMIT_CENTS })));
    // Assess
    expect(step.publisher.types()).toEqual(['PaymentCaptured']);
  });

  it('parks at once a reservation for an order whose stock was never reserved', async () => {
    // Act
    const response = await step.deliver(anSqsRecord(reservedEvent()));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.publisher.events).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'UnknownOrderError', receiveCount: 1 });
  });

  it('never captures twice for one order, whatever is redelivered', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act: a duplicate, a concurrent duplicate in the same batch, and a redelivery after a publish failure.
    step.publisher.failures = 1;
    await step.deliver(anSqsRecord(await reserved({ orderId })));
    await step.deliver(anSqsRecord(await reserved({ orderId })), anSqsRecord(await reserved({ orderId })));
    // Assess
    const captures = (await step.ledgerItems(orderId)).filter((item) => item.step === 'capture-payment');
    expect(captures).toHaveLength(1);
    const paymentIds = new Set(step.publisher.events.map((event) => (event.detail as { paymentId: string }).paymentId));
    expect(paymentIds.size).toBe(1);
    expect(step.publisher.types()).toEqual(['PaymentCaptured', 'PaymentCaptured']);
  });

  it('deletes the payment intent once the outcome is recorded, and a redelivery after that republishes the recorded outcome', async () => {
    // Prepare
    const orderId = randomUUID();
    const event = await reserved({ orderId, paymentToken: 'tok_decline_7d0b' });
    const { paymentIntentId } = (JSON.parse(event) as { detail: { order: { paymentIntentId: string } } }).detail.order;
    // Act
    await step.deliver(anSqsRecord(event));
    const intentAfterCapture = await storedIntent(paymentIntentId);
    const redelivery = await step.deliver(anSqsRecord(event, { receiveCount: 2 }));
    // Assess
    expect(intentAfterCapture).toBeUndefined();
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(step.parking.parked).toEqual([]);
    expect(step.publisher.types()).toEqual(['PaymentDeclined', 'PaymentDeclined']);
    expect(step.publisher.events[1]).toEqual(step.publisher.events[0]);
  });

  it.each([
    ['was never issued', async (orderId: string) => reservedEvent({ orderId, paymentIntentId: aPaymentIntentId() }), 'missing or expired'],
    ['was issued for another order', async (orderId: string) => reservedEvent({ orderId, paymentIntentId: await step.adapters.paymentIntents.issue(randomUUID(), 'tok_visa') }), 'issued for another order'],
    [
      'expired a day after the order was placed',
      async (orderId: string) => {
        const yesterday = new DynamoDbPaymentIntents({ client: step.client, paymentIntentsTableName: step.tables.paymentIntents, now: () => new Date(Date.now() - PAYMENT_INTENT_TTL_SECONDS * 1000) });
        return reservedEvent({ orderId, paymentIntentId: await yesterday.issue(orderId, 'tok_visa') });
      },
      'missing or expired',
    ],
  ])('parks at once, with its cause, a reservation whose payment intent %s, capturing nothing', async (_case, reservation, reason) => {
    // Prepare
    const orderId = randomUUID();
    await step.givenPrerequisite(orderId);
    const event = await reservation(orderId);
    // Act
    const response = await step.deliver(anSqsRecord(event));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(step.publisher.events).toEqual([]);
    expect(step.parking.parked[0]?.reason).toMatchObject({ errorName: 'PaymentIntentUnavailableError', receiveCount: 1 });
    expect(step.parking.parked[0]?.reason.errorMessage).toContain(reason);
    expect((await step.ledgerItems(orderId)).filter((item) => item.step === 'capture-payment')).toEqual([]);
  });
});
