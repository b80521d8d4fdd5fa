/** Lambda handler: the compensation after a decline (PaymentDeclined -> InventoryReleased). */
import { configuredStepHandler, documentClient, stepLedger } from '#shared/runtime/aws-clients';
import { releaseInventory } from '#shared/steps/release-inventory';

export const handler = configuredStepHandler('release-inventory', releaseInventory, { ledger: stepLedger(documentClient(), { movesStock: true }) });
