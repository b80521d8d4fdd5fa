/** Lambda handler: notifies the customer of the outcome (OrderShipped | OrderCancelled -> CustomerNotified). */
import { configuredStepHandler, documentClient, stepLedger } from '#shared/runtime/aws-clients';
import { notifyCustomer } from '#shared/steps/notify-customer';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = configuredStepHandler('notify-customer', notifyCustomer, { ledger: stepLedger(documentClient(), { movesStock: false }) });
