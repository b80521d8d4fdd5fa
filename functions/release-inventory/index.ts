import { stepHandler } from '#shared/runtime/aws-clients';
import { releaseInventory } from '#shared/steps/release-inventory';

/** Lambda entry point of step release-inventory (the template's `index.handler`), given what the pipeline's declaration says. */
export const handler = stepHandler('release-inventory', releaseInventory);
