/**
 * Which events each SQS-fed step consumes. The CDK stack builds each step's rule from this and
 * the step's handler accepts only these, so the wiring and the code cannot disagree.
 */
import { DETAIL_TYPES, type DetailType } from '#shared/contracts';

/** The steps fed by the bus through a queue, and the detail-types each consumes. */
export const STEP_SUBSCRIPTIONS = {
  'reserve-inventory': ['OrderPlaced'],
  'capture-payment': ['InventoryReserved'],
  'release-inventory': ['PaymentDeclined'],
  'ship-order': ['PaymentCaptured'],
  'cancel-order': ['InventoryRejected', 'InventoryReleased'],
  'notify-customer': ['OrderShipped', 'OrderCancelled'],
  'project-order': DETAIL_TYPES,
} as const satisfies Record<string, readonly DetailType[]>;

/** The name of an SQS-fed step (also its function's folder under `functions/`). */
export type StepName = keyof typeof STEP_SUBSCRIPTIONS;
