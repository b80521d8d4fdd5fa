import { domainEvent } from '#shared/contracts';
import type { StepLedger } from '#shared/ports';
import { requireRecorded } from '#shared/steps/prerequisites';
import type { StepLogic } from '#shared/steps/step';

/**
 * Records one notification per order outcome (the ledger item is the notification: this
 * demo sends no real email) and announces it.
 */
export const notifyCustomer: StepLogic<'notify-customer', { readonly ledger: StepLedger }> = async (event, { ledger }) => {
  const outcome = event.detailType === 'OrderShipped' ? 'shipped' : 'cancelled';
  const { orderId, customer } = event.detail;
  if (outcome === 'shipped') await requireRecorded(ledger, orderId, 'ship-order', ['OrderShipped']);
  else await requireRecorded(ledger, orderId, 'cancel-order', ['OrderCancelled']);
  const notified = domainEvent('CustomerNotified', { schemaVersion: 1, orderId, outcome, channel: 'email', recipient: customer.email });
  return [await ledger.record(orderId, `notify-customer#${outcome}`, notified)];
};
