import { stepHandler } from '#shared/runtime/aws-clients';
import { projectOrder } from '#shared/steps/project-order';

/** Lambda entry point of step project-order (the template's `index.handler`), given what the pipeline's declaration says. */
export const handler = stepHandler('project-order', projectOrder);
