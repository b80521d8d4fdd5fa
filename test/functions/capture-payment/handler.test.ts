import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AMOUNT_LIMIT_CENTS } from '#shared/payment-gateway';
import { capturePayment } from '#shared/steps/capture-payment';
import { anOrder, anSqsRecord } from '#test/support/factories';
import { useStepHarness } from '#test/support/step-harness';

describe('capture-payment handler', () => {
  const step = useStepHarness('capture-payment', capturePayment);

  /** The event the step consumes: a reserved, priced order. */
  const reservedEvent = (options: { paymentToken?: string; amountCents?: number; orderId?: string } = {}) =>
    step.consumed({
      schemaVersion: 1,
      orderId: options.orderId ?? randomUUID(),
      order: anOrder({ paymentToken: options.paymentToken ?? 'tok_visa' }),
      amountCents: options.amountCents ?? 14_700,
      currency: 'USD',
    });

  /** That event, for an order whose stock was reserved (its prerequisite recorded). */
  const reserved = async (options: { paymentToken?: string; amountCents?: number; orderId?: string } = {}) => {
    const orderId = options.orderId ?? randomUUID();
    await step.givenPrerequisite(orderId);
    return reservedEvent({ ...options, orderId });
  };

  it('captures the amount and publishes PaymentCaptured', async () => {
    // Act
    await step.deliver(anSqsRecord(await reserved({ amountCents: 14_700 })));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'PaymentCaptured', detail: { amountCents: 14_700, paymentId: expect.stringMatching(/^pay_/) } });
  });

  it.each([
    ['a declining token', { paymentToken: 'tok_decline' }, 'CARD_DECLINED'],
    ['an empty account', { paymentToken: 'tok_insufficient_funds' }, 'INSUFFICIENT_FUNDS'],
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
});
