/** Lambda handler of `GET /orders/{id}`, wired from the function's configuration as the pipeline's declaration says. */
import { httpDependencies } from '#shared/runtime/aws-clients';
import { getOrderHandler } from './get-order-handler.ts';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = getOrderHandler(httpDependencies('get-order'));
