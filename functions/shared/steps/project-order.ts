import { ConcurrentUpdateError } from '#shared/errors';
import { applyEvent } from '#shared/order-view';
import type { OrderViewStore } from '#shared/ports';
import type { StepLogic } from '#shared/steps/step';

/**
 * Several events of one order often arrive in the same batch and are projected concurrently;
 * a lost race is settled by reading again here rather than waiting a visibility timeout.
 */
const MAX_PROJECTION_ATTEMPTS = 5;

/** Applies an event to the order's read model (optimistic concurrency on its version). */
export const projectOrder: StepLogic<'project-order', { readonly views: OrderViewStore }> = async (event, { views }) => {
  for (let attempt = 1; ; attempt += 1) {
    const current = await views.get(event.detail.orderId);
    const next = applyEvent(current, event);
    if (!next) return [];
    try {
      await views.save({ ...next, version: (current?.version ?? 0) + 1 });
      return [];
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt === MAX_PROJECTION_ATTEMPTS) throw error;
    }
  }
};
