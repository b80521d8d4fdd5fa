/** Lambda handler: reserves an order's stock (OrderPlaced -> InventoryReserved | InventoryRejected). */
import { catalogue, configuredStepHandler, documentClient, stepLedger } from '#shared/runtime/aws-clients';
import { reserveInventory } from '#shared/steps/reserve-inventory';

const client = documentClient();

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = configuredStepHandler('reserve-inventory', reserveInventory, {
  catalogue: catalogue(client),
  ledger: stepLedger(client, { movesStock: true }),
});
