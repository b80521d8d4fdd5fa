/** Lambda handler: applies every pipeline event to the order's read model. */
import { configuredStepHandler, documentClient, orderViews } from '#shared/runtime/aws-clients';
import { projectOrder } from '#shared/steps/project-order';

/** The function's Lambda entry point (the template's `index.handler`). */
export const handler = configuredStepHandler('project-order', projectOrder, { views: orderViews(documentClient()) }, { publishes: false });
