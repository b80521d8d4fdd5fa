import { stepHandler } from '#shared/runtime/aws-clients';
import { capturePayment } from '#shared/steps/capture-payment';

/** Lambda entry point of step capture-payment (the template's `index.handler`), given what the pipeline's declaration says. */
export const handler = stepHandler('capture-payment', capturePayment);
