import { domainEvent } from '#shared/contracts';
import type { StepLedger } from '#shared/ports';
import { requireRecorded } from '#shared/steps/prerequisites';
import type { StepLogic } from '#shared/steps/step';

/** Cancels an order whose inventory was rejected or released, keeping the reason. */
export const cancelOrder: StepLogic<'cancel-order', { readonly ledger: StepLedger }> = async ({ detailType, detail }, { ledger }) => {
  const { orderId, customer, reason } = detail;
  if (detailType === 'InventoryRejected') await requireRecorded(ledger, orderId, 'reserve-inventory', ['InventoryRejected']);
  else await requireRecorded(ledger, orderId, 'release-inventory', ['InventoryReleased']);
  return [await ledger.record(orderId, 'cancel-order', domainEvent('OrderCancelled', { schemaVersion: 1, orderId, customer, reason }))];
};
