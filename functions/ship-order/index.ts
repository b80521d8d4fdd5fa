import { stepHandler } from '#shared/runtime/aws-clients';
import { shipOrder } from '#shared/steps/ship-order';

/** Lambda entry point of step ship-order (the template's `index.handler`), given what the pipeline's declaration says. */
export const handler = stepHandler('ship-order', shipOrder);
