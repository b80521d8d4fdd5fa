import { domainEvent, SCHEMA_VERSION } from '#shared/contracts';
import { OrderContactUnavailableError } from '#shared/errors';
import type { StepLogic } from '#shared/steps/step';

/**
 * Records one notification per order outcome (the ledger item is the notification: this
 * demo sends no real e-mail) and announces it. The notification goes to the e-mail address of
 * the order's contact, which no event carries: the order must have one.
 * @throws OrderContactUnavailableError (permanent: parked) when the order has no contact.
 */
export const notifyCustomer: StepLogic<'notify-customer'> = async (event, { ledger, orderContactReader }) => {
  const outcome = event.detailType === 'OrderShipped' ? 'shipped' : 'cancelled';
  const { orderId } = event.detail;
  if ((await orderContactReader.find(orderId)) === undefined) throw new OrderContactUnavailableError(orderId);
  const notified = domainEvent('CustomerNotified', { schemaVersion: SCHEMA_VERSION, orderId, outcome, channel: 'email' });
  return [await ledger.record(notified, { key: outcome })];
};
