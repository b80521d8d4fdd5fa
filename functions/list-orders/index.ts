/** Lambda handler of `GET /orders`, wired from the function's configuration as the pipeline's declaration says. */
import { httpDependencies } from '#shared/runtime/aws-clients';
import { listOrdersHandler } from './list-orders-handler.ts';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = listOrdersHandler(httpDependencies('list-orders'));
