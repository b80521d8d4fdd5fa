import { domainEvent, SCHEMA_VERSION } from '#shared/contracts';
import type { StepLogic } from '#shared/steps/step';

/** Cancels an order whose inventory was rejected or released, keeping the reason. */
export const cancelOrder: StepLogic<'cancel-order'> = async ({ detail }, { ledger }) => {
  const { orderId, reason } = detail;
  return [await ledger.record(domainEvent('OrderCancelled', { schemaVersion: SCHEMA_VERSION, orderId, reason }))];
};
