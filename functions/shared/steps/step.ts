/**
 * What every SQS-fed step is, as its declaration says: the events it consumes, the checks made
 * before its logic runs (its own record first, the prerequisites), the ports its logic is given,
 * and the outcomes it may record and return. A step's logic is only its domain decision.
 */
import type { Detail, DetailType, DomainEvent, OrderLine } from '#shared/contracts';
import { UnknownOrderError } from '#shared/errors';
import { PIPELINE_GRAPH, type ConsumedBy, type PortsOf, type ProducedBy, type StepName, type StockMovingEvent } from '#shared/pipeline-graph';
import type { Port, StockCounter } from '#shared/pipeline-declaration';
import type { DeclaredPorts, StepLedger, StockChange } from '#shared/ports';

/** An event as a step receives it, its detail validated against the contract. */
export interface ConsumedEvent<T extends DetailType = DetailType> {
  /** The EventBridge event id. */
  readonly id: string;
  readonly detailType: T;
  readonly detail: Detail<T>;
  readonly time: string;
}

/** How an outcome is recorded: the order's lines when it moves stock; a key suffix for a step that records once per outcome. */
type RecordOptions<E extends DetailType> = E extends StockMovingEvent
  ? [options: { readonly lines: readonly OrderLine[]; readonly key?: string }]
  : [options?: { readonly key?: string }];

/**
 * The ledger as step `S` sees it: it records only `S`'s outcomes, under `S`'s name, and moves
 * the stock the declaration says the outcome moves.
 */
export interface OutcomeLedger<S extends StepName> {
  /**
   * Records `outcome` for its order (once: a conditional write), with its stock moves for
   * `lines` in the same transaction, and returns the outcome that stands: this one, or the one
   * an earlier delivery recorded. `key` records under `<step>#<key>`, once per key.
   * @throws InsufficientStockError when a move would take a counter below zero.
   */
  record<E extends DetailType>(
    outcome: DomainEvent<E> & (E extends ProducedBy<S> ? unknown : `not an outcome of ${S}: declare it in its produces (pipeline.ts)`),
    ...options: RecordOptions<E>
  ): Promise<DomainEvent<ProducedBy<S>>>;
}

/** What step `S`'s logic is given: the ports it declares, and its ledger when it records outcomes. */
export type StepDependencies<S extends StepName> = { readonly [P in PortsOf<S>]: DeclaredPorts[P] } & ([ProducedBy<S>] extends [never] ? unknown : { readonly ledger: OutcomeLedger<S> });

/** A step's domain logic: given one event it consumes, record the step's outcome and return the events to publish. */
export type StepLogic<S extends StepName> = (event: ConsumedEvent<ConsumedBy<S>>, dependencies: StepDependencies<S>) => Promise<readonly DomainEvent<ProducedBy<S>>[]>;

/** The adapters a step may be given, each built only if the step's declaration uses it. */
export type StepAdapters = { readonly [P in Port]?: () => DeclaredPorts[P] } & { readonly ledger?: () => StepLedger };

/**
 * Step `step` ready to handle one consumed event: reads its own record first if declared
 * (republishing it), checks the prerequisite of the event, then runs `logic` with the ports
 * its declaration names, built now from `adapters`.
 * @returns the events to publish.
 * @throws UnknownOrderError (permanent) when the prerequisite's record is missing.
 */
export function stepProcess<S extends StepName>(step: S, logic: StepLogic<S>, adapters: StepAdapters): (event: ConsumedEvent<ConsumedBy<S>>) => Promise<readonly DomainEvent[]> {
  const declaration = PIPELINE_GRAPH.step(step);
  const built = (name: keyof StepAdapters) => {
    const factory = adapters[name];
    if (factory === undefined) throw new Error(`step ${step} needs the ${name} adapter`);
    return factory();
  };
  const ledger = PIPELINE_GRAPH.readsLedger(step) ? (built('ledger') as StepLedger) : undefined;
  const dependencies: Record<string, unknown> = Object.fromEntries((declaration.uses ?? []).map((port) => [port, built(port)]));
  if (ledger !== undefined && PIPELINE_GRAPH.records(step)) dependencies.ledger = outcomeLedger(step, ledger);

  return async (event) => {
    const { orderId } = event.detail;
    if (declaration.readsOwnRecordFirst && ledger !== undefined) {
      const recorded = await ledger.find(orderId, step);
      if (recorded !== undefined) return [recorded];
    }
    const producer = PIPELINE_GRAPH.prerequisiteOf(step, event.detailType);
    if (producer !== undefined && ledger !== undefined) {
      const recorded = await ledger.find(orderId, producer);
      if (recorded?.detailType !== event.detailType) throw new UnknownOrderError(orderId, producer, [event.detailType], recorded?.detailType);
    }
    return logic(event, dependencies as StepDependencies<S>);
  };
}

/** The ledger bound to `step`: its name as the record key, its outcomes' stock moves from the declaration. */
function outcomeLedger<S extends StepName>(step: S, ledger: StepLedger): OutcomeLedger<S> {
  return {
    record: async (outcome, ...[options]) => {
      const moves = PIPELINE_GRAPH.outcome(outcome.detailType)?.moves;
      const lines = options !== undefined && 'lines' in options ? options.lines : [];
      const changes = moves === undefined ? [] : lines.map((line) => stockChange(line, moves));
      const key = options?.key === undefined ? step : `${step}#${options.key}`;
      return (await ledger.record(outcome.detail.orderId, key, outcome, changes)) as DomainEvent<ProducedBy<S>>;
    },
  };
}

/** The counters' deltas when a line's units move from one counter to another. */
function stockChange(line: OrderLine, moves: { readonly from: StockCounter; readonly to: StockCounter }): StockChange {
  const delta = { available: 0, reserved: 0, shipped: 0 };
  delta[moves.from] -= line.quantity;
  delta[moves.to] += line.quantity;
  return { sku: line.sku, availableDelta: delta.available, reservedDelta: delta.reserved, shippedDelta: delta.shipped };
}
