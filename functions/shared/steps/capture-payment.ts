import { domainEvent, SCHEMA_VERSION } from '#shared/contracts';
import { PaymentIntentUnavailableError } from '#shared/errors';
import { capturePayment as chargeCard } from '#shared/payment-gateway';
import type { StepLogic } from '#shared/steps/step';

/**
 * Captures the reserved order's amount with the token of the order's payment intent, the only
 * place the token is kept, and deletes the intent once the outcome is recorded: the token is
 * kept no longer than it is needed. The step reads its own record first (its declaration's
 * `readsOwnRecordFirst`), so a redelivery never reaches the gateway again, and after the
 * delete it republishes the recorded outcome without looking for the intent: one capture per
 * order. A crash between the record and the delete leaves the intent to its time to live.
 * @throws PaymentIntentUnavailableError (permanent: parked) when the intent is gone or another order's.
 */
export const capturePayment: StepLogic<'capture-payment'> = async ({ detail }, { ledger, paymentIntentRedeemer }) => {
  const { orderId, order, amountCents } = detail;
  const { paymentIntentId } = order;
  const intent = await paymentIntentRedeemer.find(paymentIntentId);
  if (intent === undefined) throw new PaymentIntentUnavailableError(orderId, paymentIntentId, 'missing or expired');
  if (intent.orderId !== orderId) throw new PaymentIntentUnavailableError(orderId, paymentIntentId, 'issued for another order');
  const result = chargeCard(orderId, intent.paymentToken, amountCents);
  const outcome =
    result.status === 'captured'
      ? domainEvent('PaymentCaptured', { schemaVersion: SCHEMA_VERSION, orderId, order, paymentId: result.paymentId, amountCents })
      : domainEvent('PaymentDeclined', { schemaVersion: SCHEMA_VERSION, orderId, order, reason: result.reason });
  const recorded = await ledger.record(outcome);
  await paymentIntentRedeemer.discard(paymentIntentId);
  return [recorded];
};
