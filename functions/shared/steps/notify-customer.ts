import { domainEvent } from '#shared/contracts';
import type { StepLogic } from '#shared/steps/step';

/**
 * Records one notification per order outcome (the ledger item is the notification: this
 * demo sends no real email) and announces it.
 */
export const notifyCustomer: StepLogic<'notify-customer'> = async (event, { ledger }) => {
  const outcome = event.detailType === 'OrderShipped' ? 'shipped' : 'cancelled';
  const { orderId, customer } = event.detail;
  const notified = domainEvent('CustomerNotified', { schemaVersion: 1, orderId, outcome, channel: 'email', recipient: customer.email });
  return [await ledger.record(notified, { key: outcome })];
};
