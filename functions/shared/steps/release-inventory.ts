import { domainEvent, SCHEMA_VERSION } from '#shared/contracts';
import type { StepLogic } from '#shared/steps/step';

/** The compensation after a declined payment: the order's reserved units become available again. */
export const releaseInventory: StepLogic<'release-inventory'> = async ({ detail }, { ledger }) => {
  const { orderId, order, reason } = detail;
  const released = domainEvent('InventoryReleased', { schemaVersion: SCHEMA_VERSION, orderId, reason });
  return [await ledger.record(released, { lines: order.items })];
};
