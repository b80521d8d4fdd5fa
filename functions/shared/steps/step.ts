/** What every SQS-fed step is: a name, the events it consumes, and what it does with one. */
import type { Detail, DetailType, DomainEvent } from '#shared/contracts';
import { STEP_SUBSCRIPTIONS, type StepName } from '#shared/subscriptions';

/** An event as a step receives it, its detail validated against the contract. */
export interface ConsumedEvent<T extends DetailType = DetailType> {
  /** The EventBridge event id. */
  readonly id: string;
  readonly detailType: T;
  readonly detail: Detail<T>;
  readonly time: string;
}

/** The detail-types step `S` consumes. */
export type ConsumedBy<S extends StepName> = (typeof STEP_SUBSCRIPTIONS)[S][number];

/** A step's domain logic: given one event, record the step's outcome and return the events to publish. */
export type StepLogic<S extends StepName, Deps> = (event: ConsumedEvent<ConsumedBy<S>>, deps: Deps) => Promise<readonly DomainEvent[]>;
