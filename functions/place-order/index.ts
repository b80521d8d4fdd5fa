/** Lambda handler of `POST /orders`, wired from the function's configuration as the pipeline's declaration says. */
import { eventPublisher, httpDependencies } from '#shared/runtime/aws-clients';
import { placeOrderHandler } from './place-order-handler.ts';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = placeOrderHandler(httpDependencies('place-order', { publisher: eventPublisher }));
