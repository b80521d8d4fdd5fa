import { domainEvent } from '#shared/contracts';
import { capturePayment as chargeCard } from '#shared/payment-gateway';
import type { StepLedger } from '#shared/ports';
import { requireRecorded } from '#shared/steps/prerequisites';
import type { StepLogic } from '#shared/steps/step';

/**
 * Captures the reserved order's amount. The ledger is read first so a redelivery never reaches
 * the gateway again: one capture per order, whatever is redelivered.
 */
export const capturePayment: StepLogic<'capture-payment', { readonly ledger: StepLedger }> = async ({ detail }, { ledger }) => {
  const { orderId, order, amountCents } = detail;
  const recorded = await ledger.find(orderId, 'capture-payment');
  if (recorded) return [recorded];
  await requireRecorded(ledger, orderId, 'reserve-inventory', ['InventoryReserved']);
  const result = chargeCard(orderId, order.paymentToken, amountCents);
  const outcome =
    result.status === 'captured'
      ? domainEvent('PaymentCaptured', { schemaVersion: 1, orderId, order, paymentId: result.paymentId, amountCents })
      : domainEvent('PaymentDeclined', { schemaVersion: 1, orderId, order, reason: result.reason });
  return [await ledger.record(orderId, 'capture-payment', outcome)];
};
