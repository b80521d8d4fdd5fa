import { stepHandler } from '#shared/runtime/aws-clients';
import { reserveInventory } from '#shared/steps/reserve-inventory';

/** Lambda entry point of step reserve-inventory (the template's `index.handler`), given what the pipeline's declaration says. */
export const handler = stepHandler('reserve-inventory', reserveInventory);
