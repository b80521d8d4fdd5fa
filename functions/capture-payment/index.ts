/** Lambda handler: captures payment (InventoryReserved -> PaymentCaptured | PaymentDeclined). */
import { configuredStepHandler, documentClient, stepLedger } from '#shared/runtime/aws-clients';
import { capturePayment } from '#shared/steps/capture-payment';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = configuredStepHandler('capture-payment', capturePayment, { ledger: stepLedger(documentClient(), { movesStock: false }) });
