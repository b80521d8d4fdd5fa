import { domainEvent, SCHEMA_VERSION } from '#shared/contracts';
import { OrderContactUnavailableError } from '#shared/errors';
import { bookShipment } from '#shared/shipping';
import type { StepLogic } from '#shared/steps/step';

/**
 * Ships a paid order: books the shipment to the address of the order's contact (the events carry
 * no address) and moves its units from reserved to shipped.
 * @throws OrderContactUnavailableError (permanent: parked) when the order has no contact.
 */
export const shipOrder: StepLogic<'ship-order'> = async ({ detail }, { ledger, orderContactReader }) => {
  const { orderId, order } = detail;
  const contact = await orderContactReader.find(orderId);
  if (contact === undefined) throw new OrderContactUnavailableError(orderId);
  const shipped = domainEvent('OrderShipped', { schemaVersion: SCHEMA_VERSION, orderId, shipment: bookShipment(orderId, contact.shippingAddress) });
  return [await ledger.record(shipped, { lines: order.items })];
};
