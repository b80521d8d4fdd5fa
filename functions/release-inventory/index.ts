/** Lambda handler: the compensation after a decline (PaymentDeclined -> InventoryReleased). */
import { configuredStepHandler, documentClient, stepLedger } from '#shared/runtime/aws-clients';
import { releaseInventory } from '#shared/steps/release-inventory';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = configuredStepHandler('release-inventory', releaseInventory, { ledger: stepLedger(documentClient(), { movesStock: true }) });
