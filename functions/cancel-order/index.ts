/** Lambda handler: cancels an order (InventoryRejected | InventoryReleased -> OrderCancelled). */
import { configuredStepHandler, documentClient, stepLedger } from '#shared/runtime/aws-clients';
import { cancelOrder } from '#shared/steps/cancel-order';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = configuredStepHandler('cancel-order', cancelOrder, { ledger: stepLedger(documentClient(), { movesStock: false }) });
