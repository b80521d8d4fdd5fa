import { domainEvent } from '#shared/contracts';
import { bookShipment } from '#shared/shipping';
import type { StepLogic } from '#shared/steps/step';

/** Ships a paid order: books the shipment and moves its units from reserved to shipped. */
export const shipOrder: StepLogic<'ship-order'> = async ({ detail }, { ledger }) => {
  const { orderId, order } = detail;
  const shipped = domainEvent('OrderShipped', {
    schemaVersion: 1,
    orderId,
    customer: order.customer,
    shipment: bookShipment(orderId, order.shippingAddress),
  });
  return [await ledger.record(shipped, { lines: order.items })];
};
