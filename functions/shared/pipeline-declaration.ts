/**
 * The shape of the pipeline's declaration (`pipeline.ts`) and the checks made on it: TypeScript
 * checks what a type can say (a consumed or produced event is a contract's detail-type; a step
 * can only require the ledger record of an event that a recording step produces), and
 * `definePipeline` checks the rest when the module loads (one producer per event, every consumed
 * event produced by someone, no cycle).
 */
import { DETAIL_TYPES, type DetailType } from '#shared/contracts';

/** The stock counters of an inventory item that an outcome can move units between. */
export const StockCounter = { available: 'available', reserved: 'reserved', shipped: 'shipped' } as const;
export type StockCounter = (typeof StockCounter)[keyof typeof StockCounter];

/** What a step checks before it handles an event it consumes. */
export const Prerequisite = {
  /**
   * The step that produces the event recorded that very event in the ledger. A step records its
   * outcome before it publishes it, so a genuine event always finds its producer's record; one
   * that does not is parked before it can move money or stock.
   */
  producerRecorded: 'producer-recorded',
  /** Nothing: for an event no step records (place-order keeps no ledger), or a step that only reads. */
  none: 'none',
} as const;
export type Prerequisite = (typeof Prerequisite)[keyof typeof Prerequisite];

/**
 * The ports a function's code may be given besides its ledger and its publisher (which come with
 * what it produces). Each is an adapter with a fixed set of AWS operations, listed in
 * `adapters/access.ts`: the grants are computed from them.
 */
export const Port = {
  /** Stock levels and prices of SKUs (`Catalogue`). */
  catalogue: 'catalogue',
  /** Reads and writes order read models (`OrderViewStore`). */
  orderViews: 'orderViews',
  /** Reads order read models (`OrderViewReader`). */
  orderViewReader: 'orderViewReader',
  /** Lists a customer's orders, newest first (`OrderLister`). */
  orderLister: 'orderLister',
  /** Claims a customer's Idempotency-Keys for orders (`IdempotencyKeys`). */
  idempotencyKeys: 'idempotencyKeys',
  /** Keeps an order's payment token in a new payment intent (`PaymentIntentIssuer`). */
  paymentIntentIssuer: 'paymentIntentIssuer',
  /** Deletes the payment intent of an order that will never be paid (`PaymentIntentDiscarder`). */
  paymentIntentDiscarder: 'paymentIntentDiscarder',
  /** Reads a payment intent's token and deletes the intent once used (`PaymentIntentRedeemer`). */
  paymentIntentRedeemer: 'paymentIntentRedeemer',
  /** Keeps the customer's name, e-mail and address of a new order (`OrderContactKeeper`). */
  orderContactKeeper: 'orderContactKeeper',
  /** Reads an order's contact: its customer's name, e-mail and address (`OrderContactReader`). */
  orderContactReader: 'orderContactReader',
} as const;
export type Port = (typeof Port)[keyof typeof Port];

/** A status that depends on a field of the event's detail: `values[detail[field]]`, else unchanged. */
export interface StatusByField {
  readonly field: string;
  readonly values: Readonly<Record<string, string>>;
}

/** An event a function produces, and what it means for the order. */
export interface OutcomeDeclaration {
  /**
   * The order's status in the read model once this event is applied.
   * @default - the status stays as it is
   */
  readonly status?: string | StatusByField;
  /**
   * The order can reach no other status after this one: it is final, whatever arrives late.
   * @default - not terminal
   */
  readonly terminal?: true;
  /**
   * Every line's units move from one stock counter to another, in the same DynamoDB transaction
   * as the step's ledger record.
   * @default - no stock moves
   */
  readonly moves?: { readonly from: StockCounter; readonly to: StockCounter };
}

/** What every function declares. */
export interface FunctionDeclaration {
  /** What the function does, for people (the Lambda console shows it). */
  readonly description: string;
  /** The events it publishes, by detail-type, in the order of preference (the first is the happy path). */
  readonly produces: Readonly<Partial<Record<DetailType, OutcomeDeclaration>>>;
  /**
   * Ports its code is given besides the ledger and the publisher.
   * @default - none
   */
  readonly uses?: readonly Port[];
}

/** A function behind the HTTP API. */
export interface HttpFunctionDeclaration extends FunctionDeclaration {
  /** The route, `METHOD /path`, as the HTTP API's route key. */
  readonly route: `${'GET' | 'POST'} /${string}`;
}

/** A step fed by the bus through its own queue. */
export interface StepDeclaration extends FunctionDeclaration {
  /** The events it consumes, each with what must hold before it is handled. */
  readonly consumes: Readonly<Partial<Record<DetailType, Prerequisite>>>;
  /**
   * Before anything else, the step reads its own ledger record and republishes it if there is one.
   * For a step whose work has an effect outside its ledger transaction (a card capture), so a
   * redelivery never repeats it; other steps rely on their conditional write.
   * @default - not read first
   */
  readonly readsOwnRecordFirst?: true;
  /**
   * The step undoes an earlier step's effect after a failure (saga compensation).
   * @default - not a compensation
   */
  readonly compensation?: true;
  /**
   * How the event source mapping batches records; above 10 records needs a window of at least
   * a second.
   * @default - batches of 10, handed over as soon as records arrive
   */
  readonly batching?: { readonly batchSize: number; readonly maxBatchingWindowSeconds: number };
}

/** The whole pipeline: the HTTP functions and the steps, by name (kebab-case, the folder under `functions/`). */
export interface PipelineDeclaration {
  readonly http: Readonly<Record<string, HttpFunctionDeclaration>>;
  readonly steps: Readonly<Record<string, StepDeclaration>>;
}

/** Detail-types that some step (a function that keeps a ledger record) produces. */
type StepProduced<P extends PipelineDeclaration> = { [S in keyof P['steps']]: keyof P['steps'][S]['produces'] }[keyof P['steps']];

/**
 * The declaration with every key checked: where `P` differs from it, TypeScript reports what the
 * value should be, and a string literal type stands in for a message (TypeScript shows the type
 * a value is not assignable to).
 */
type Checked<P extends PipelineDeclaration> = {
  readonly http: { readonly [F in keyof P['http']]: Omit<P['http'][F], 'produces'> & { readonly produces: CheckedProduces<P['http'][F]['produces']> } };
  readonly steps: {
    readonly [S in keyof P['steps']]: Omit<P['steps'][S], 'produces' | 'consumes'> & {
      readonly produces: CheckedProduces<P['steps'][S]['produces']>;
      readonly consumes: {
        readonly [E in keyof P['steps'][S]['consumes']]: E extends DetailType
          ? E extends StepProduced<P>
            ? Prerequisite
            : typeof Prerequisite.none | 'none: no step records this event in the ledger, so there is no record to require'
          : 'not a detail-type: declare the event in contracts.ts first';
      };
    };
  };
};
type CheckedProduces<O> = { readonly [E in keyof O]: E extends DetailType ? O[E] : 'not a detail-type: declare the event in contracts.ts first' };

/** The declaration is inconsistent in a way its types cannot say. */
export class InvalidPipelineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`the pipeline declaration (functions/shared/pipeline.ts) is invalid: ${message}`, options);
    this.name = 'InvalidPipelineError';
  }
}

/**
 * Returns the declaration as it was written (its literal types are what the rest of the code
 * derives its types from), after checking it.
 * @throws InvalidPipelineError naming what is wrong and what to do.
 */
export function definePipeline<const P extends PipelineDeclaration & Checked<P>>(pipeline: P): P {
  const problems = pipelineProblems(pipeline);
  if (problems.length > 0) throw new InvalidPipelineError(problems.join('; '));
  return pipeline;
}

/** What is wrong with a declaration, beyond its types: one sentence per problem. */
export function pipelineProblems(pipeline: PipelineDeclaration): string[] {
  const problems: string[] = [];
  const producers = new Map<DetailType, string[]>();
  for (const [name, declaration] of [...Object.entries(pipeline.http), ...Object.entries(pipeline.steps)]) {
    for (const type of Object.keys(declaration.produces) as DetailType[]) producers.set(type, [...(producers.get(type) ?? []), name]);
  }
  for (const [type, names] of producers) {
    if (names.length > 1) problems.push(`${type} is produced by ${names.join(' and ')}; every event has exactly one producer`);
  }
  for (const [step, declaration] of Object.entries(pipeline.steps)) {
    for (const [type, prerequisite] of Object.entries(declaration.consumes) as [DetailType, Prerequisite][]) {
      const [producer] = producers.get(type) ?? [];
      if (!DETAIL_TYPES.includes(type)) problems.push(`${step} consumes ${type}, which contracts.ts does not declare`);
      else if (producer === undefined) problems.push(`${step} consumes ${type}, which no function produces: add it to a producer's produces`);
      else if (prerequisite === Prerequisite.producerRecorded && !(producer in pipeline.steps)) {
        problems.push(`${step} requires ${producer}'s record of ${type}, but ${producer} keeps no ledger: use '${Prerequisite.none}'`);
      }
    }
    const batching = declaration.batching;
    if (batching !== undefined && batching.batchSize > 10 && batching.maxBatchingWindowSeconds < 1) {
      problems.push(`${step} batches ${batching.batchSize} records without a batching window; above 10 needs at least 1 second`);
    }
  }
  const cycle = findCycle(pipeline);
  if (cycle !== undefined) problems.push(`events go round in a cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** A cycle of events (each produced by a step consuming the previous one), if there is one. */
function findCycle(pipeline: PipelineDeclaration): DetailType[] | undefined {
  const next = new Map<DetailType, DetailType[]>();
  for (const declaration of Object.values(pipeline.steps)) {
    for (const consumed of Object.keys(declaration.consumes) as DetailType[]) {
      next.set(consumed, [...(next.get(consumed) ?? []), ...(Object.keys(declaration.produces) as DetailType[])]);
    }
  }
  const visiting: DetailType[] = [];
  const done = new Set<DetailType>();
  const visit = (type: DetailType): DetailType[] | undefined => {
    const at = visiting.indexOf(type);
    if (at >= 0) return [...visiting.slice(at), type];
    if (done.has(type)) return undefined;
    visiting.push(type);
    for (const following of next.get(type) ?? []) {
      const cycle = visit(following);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(type);
    return undefined;
  };
  for (const type of next.keys()) {
    const cycle = visit(type);
    if (cycle) return cycle;
  }
  return undefined;
}
