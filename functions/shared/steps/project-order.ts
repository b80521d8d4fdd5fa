import { ConcurrentUpdateError } from '#shared/errors';
import { applyEvent } from '#shared/order-view';
import type { OrderViewStore } from '#shared/ports';
import type { StepLogic } from '#shared/steps/step';

/**
 * Projections of one order in another invocation can still race this one (optimistic
 * concurrency on the view's version); a lost race is settled by reading again here rather
 * than waiting a visibility timeout.
 */
const MAX_PROJECTION_ATTEMPTS = 5;

/**
 * The projection of each order in progress in this execution environment. A batch often holds
 * several events of one order (the projection gathers for a second); applying them one after
 * the other avoids racing the same version, which would otherwise exhaust the retries above.
 */
const inProgress = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier projection of the same order in this environment. */
async function oneAtATime<T>(orderId: string, work: () => Promise<T>): Promise<T> {
  const previous = inProgress.get(orderId) ?? Promise.resolve();
  const current = previous.then(work, work);
  const settled = current.catch(() => undefined);
  inProgress.set(orderId, settled);
  try {
    return await current;
  } finally {
    if (inProgress.get(orderId) === settled) inProgress.delete(orderId);
  }
}

/** Applies an event to the order's read model (optimistic concurrency on its version). */
export const projectOrder: StepLogic<'project-order', { readonly views: OrderViewStore }> = (event, { views }) =>
  oneAtATime(event.detail.orderId, async () => {
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
  });
