import { domainEvent } from '#shared/contracts';
import type { StepLedger } from '#shared/ports';
import { requireRecorded } from '#shared/steps/prerequisites';
import type { StepLogic } from '#shared/steps/step';

/** The compensation after a declined payment: the order's reserved units become available again. */
export const releaseInventory: StepLogic<'release-inventory', { readonly ledger: StepLedger }> = async ({ detail }, { ledger }) => {
  const { orderId, order, reason } = detail;
  await requireRecorded(ledger, orderId, 'capture-payment', ['PaymentDeclined']);
  const released = domainEvent('InventoryReleased', { schemaVersion: 1, orderId, customer: order.customer, reason });
  const changes = order.items.map((item) => ({ sku: item.sku, availableDelta: item.quantity, reservedDelta: -item.quantity, shippedDelta: 0 }));
  return [await ledger.record(orderId, 'release-inventory', released, changes)];
};
