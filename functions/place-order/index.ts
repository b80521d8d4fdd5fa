/** Lambda handler of `POST /orders`, wired from the function's configuration. */
import { documentClient, eventPublisher, orderViews } from '#shared/runtime/aws-clients';
import { placeOrderHandler } from './place-order-handler.ts';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = placeOrderHandler({ publisher: eventPublisher(), views: orderViews(documentClient()) });
