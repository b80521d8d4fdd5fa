import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AMOUNT_LIMIT_CENTS } from '#shared/payment-gateway';
import { capturePayment } from '#shared/steps/capture-payment';
import { anEnvelope, anOrder, anSqsRecord } from '#test/support/factories';
import { startTestDynamoDb, type TestDynamoDb } from '#test/support/local-dynamodb';
import { stepHarness, type StepHarness } from '#test/support/step-harness';

const reserved = (options: { paymentToken?: string; amountCents?: number; orderId?: string } = {}) =>
  anEnvelope('InventoryReserved', {
    schemaVersion: 1,
    orderId: options.orderId ?? randomUUID(),
    order: anOrder({ paymentToken: options.paymentToken ?? 'tok_visa' }),
    amountCents: options.amountCents ?? 14_700,
    currency: 'USD',
  });

describe('capture-payment handler', () => {
  let db: TestDynamoDb;
  let step: StepHarness;

  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    step = await stepHarness(db, 'capture-payment', capturePayment, ({ ledger }) => ({ ledger }));
  });

  it('captures the amount and publishes PaymentCaptured', async () => {
    // Act
    await step.deliver(anSqsRecord(reserved({ amountCents: 14_700 })));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'PaymentCaptured', detail: { amountCents: 14_700, paymentId: expect.stringMatching(/^pay_/) } });
  });

  it.each([
    ['a declining token', { paymentToken: 'tok_decline' }, 'CARD_DECLINED'],
    ['an empty account', { paymentToken: 'tok_insufficient_funds' }, 'INSUFFICIENT_FUNDS'],
    ['an amount above the limit', { amountCents: AMOUNT_LIMIT_CENTS + 1 }, 'AMOUNT_LIMIT_EXCEEDED'],
  ])('declines %s with PaymentDeclined', async (_case, options, code) => {
    // Act
    await step.deliver(anSqsRecord(reserved(options)));
    // Assess
    expect(step.publisher.events[0]).toMatchObject({ detailType: 'PaymentDeclined', detail: { reason: { code } } });
  });

  it('captures an amount exactly at the limit', async () => {
    // Act
    await step.deliver(anSqsRecord(reserved({ amountCents: AMOUNT_LIMIT_CENTS })));
    // Assess
    expect(step.publisher.types()).toEqual(['PaymentCaptured']);
  });

  it('never captures twice for one order, whatever is redelivered', async () => {
    // Prepare
    const orderId = randomUUID();
    // Act: a duplicate, a concurrent duplicate in the same batch, and a redelivery after a publish failure.
    step.publisher.failures = 1;
    await step.deliver(anSqsRecord(reserved({ orderId })));
    await step.deliver(anSqsRecord(reserved({ orderId })), anSqsRecord(reserved({ orderId })));
    // Assess
    const ledger = await step.ledgerItems(orderId);
    expect(ledger).toHaveLength(1);
    const paymentIds = new Set(step.publisher.events.map((event) => (event.detail as { paymentId: string }).paymentId));
    expect(paymentIds.size).toBe(1);
    expect(step.publisher.types()).toEqual(['PaymentCaptured', 'PaymentCaptured']);
  });
});
