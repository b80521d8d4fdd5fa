import { stepHandler } from '#shared/runtime/aws-clients';
import { cancelOrder } from '#shared/steps/cancel-order';

/** Lambda entry point of step cancel-order (the template's `index.handler`), given what the pipeline's declaration says. */
export const handler = stepHandler('cancel-order', cancelOrder);
