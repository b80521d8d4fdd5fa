/**
 * What a step requires of the steps before it. A step publishes its outcome only after it
 * recorded it in the ledger, so a genuine event always finds its producer's record there; an
 * event that does not is rejected before it can move money or stock.
 */
import type { DetailType } from '#shared/contracts';
import { UnknownOrderError } from '#shared/errors';
import type { StepLedger } from '#shared/ports';

/** Throws {@link UnknownOrderError} unless `step` recorded one of `outcomes` for the order. */
export async function requireRecorded(ledger: StepLedger, orderId: string, step: string, outcomes: readonly DetailType[]): Promise<void> {
  const recorded = await ledger.find(orderId, step);
  if (recorded === undefined || !outcomes.includes(recorded.detailType)) {
    throw new UnknownOrderError(orderId, step, outcomes, recorded?.detailType);
  }
}
