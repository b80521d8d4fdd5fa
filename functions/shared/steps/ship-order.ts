import { domainEvent } from '#shared/contracts';
import type { StepLedger } from '#shared/ports';
import { bookShipment } from '#shared/shipping';
import { requireRecorded } from '#shared/steps/prerequisites';
import type { StepLogic } from '#shared/steps/step';

/** Ships a paid order: books the shipment and moves its units from reserved to shipped. */
export const shipOrder: StepLogic<'ship-order', { readonly ledger: StepLedger }> = async ({ detail }, { ledger }) => {
  const { orderId, order } = detail;
  await requireRecorded(ledger, orderId, 'capture-payment', ['PaymentCaptured']);
  const shipped = domainEvent('OrderShipped', {
    schemaVersion: 1,
    orderId,
    customer: order.customer,
    shipment: bookShipment(orderId, order.shippingAddress),
  });
  const changes = order.items.map((item) => ({ sku: item.sku, availableDelta: 0, reservedDelta: -item.quantity, shippedDelta: item.quantity }));
  return [await ledger.record(orderId, 'ship-order', shipped, changes)];
};
