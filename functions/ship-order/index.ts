/** Lambda handler: ships a paid order (PaymentCaptured -> OrderShipped). */
import { configuredStepHandler, documentClient, stepLedger } from '#shared/runtime/aws-clients';
import { shipOrder } from '#shared/steps/ship-order';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = configuredStepHandler('ship-order', shipOrder, { ledger: stepLedger(documentClient(), { movesStock: true }) });
