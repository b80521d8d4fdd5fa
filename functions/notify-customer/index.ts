import { stepHandler } from '#shared/runtime/aws-clients';
import { notifyCustomer } from '#shared/steps/notify-customer';

/** Lambda entry point of step notify-customer (the template's `index.handler`), given what the pipeline's declaration says. */
export const handler = stepHandler('notify-customer', notifyCustomer);
