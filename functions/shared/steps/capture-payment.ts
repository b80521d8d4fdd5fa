import { domainEvent } from '#shared/contracts';
import { capturePayment as chargeCard } from '#shared/payment-gateway';
import type { StepLogic } from '#shared/steps/step';

/**
 * Captures the reserved order's amount. The step reads its own record first (its declaration's
 * `readsOwnRecordFirst`), so a redelivery never reaches the gateway again: one capture per order.
 */
export const capturePayment: StepLogic<'capture-payment'> = async ({ detail }, { ledger }) => {
  const { orderId, order, amountCents } = detail;
  const result = chargeCard(orderId, order.paymentToken, amountCents);
  const outcome =
    result.status === 'captured'
      ? domainEvent('PaymentCaptured', { schemaVersion: 1, orderId, order, paymentId: result.paymentId, amountCents })
      : domainEvent('PaymentDeclined', { schemaVersion: 1, orderId, order, reason: result.reason });
  return [await ledger.record(outcome)];
};
