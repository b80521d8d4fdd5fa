/**
 * What follows from the pipeline's declaration: names and types of its functions, who produces
 * each event and what a step must find recorded before it handles one, the read model's statuses
 * in their order, the events that settle an order, and the paths an order can take. The
 * `PipelineGraph` class computes it from any declaration (tests use small ones); the exports
 * below it are the order pipeline's own.
 */
import { DETAIL_TYPES, type DetailType } from '#shared/contracts';
import { PIPELINE } from '#shared/pipeline';
import {
  InvalidPipelineError,
  Prerequisite,
  type FunctionDeclaration,
  type OutcomeDeclaration,
  type PipelineDeclaration,
  type Port,
  type StepDeclaration,
} from '#shared/pipeline-declaration';

type Declared = typeof PIPELINE;

/** A step fed by the bus through its queue (its folder under `functions/`). */
export type StepName = keyof Declared['steps'] & string;
/** A function behind the HTTP API. */
export type HttpFunctionName = keyof Declared['http'] & string;
/** Any function of the pipeline. */
export type FunctionName = StepName | HttpFunctionName;
/** The declaration of function `F`. */
export type DeclarationOf<F extends FunctionName> = F extends StepName ? Declared['steps'][F] : F extends HttpFunctionName ? Declared['http'][F] : never;
/** The detail-types step `S` consumes. */
export type ConsumedBy<S extends StepName> = keyof Declared['steps'][S]['consumes'] & DetailType;
/** The detail-types function `F` produces. */
export type ProducedBy<F extends FunctionName> = keyof DeclarationOf<F>['produces'] & DetailType;
/** The ports function `F` uses besides its ledger and publisher. */
export type PortsOf<F extends FunctionName> = DeclarationOf<F> extends { readonly uses: readonly (infer P)[] } ? P & Port : never;

type EveryOutcome = { [F in FunctionName]: { [E in ProducedBy<F>]: [E, DeclarationOf<F>['produces'][E]] }[ProducedBy<F>] }[FunctionName];
/** The events whose recording moves stock (their declaration has `moves`). */
export type StockMovingEvent = EveryOutcome extends infer O ? (O extends [infer E, { readonly moves: object }] ? E : never) : never;
type StatusOf<O> = O extends { readonly status: infer S } ? (S extends string ? S : S extends { readonly values: infer V } ? V[keyof V] : never) : never;
/** Every status an order can show in its read model. */
export type OrderStatus = (EveryOutcome extends infer O ? (O extends [unknown, infer D] ? StatusOf<D> : never) : never) & string;

/** One step of a path: what the step consumed and which of its outcomes it produced. */
export interface Hop {
  readonly step: string;
  readonly consumed: DetailType;
  readonly produced: DetailType;
}

/** A way an order can go through the pipeline, from its first event to a settling one. */
export interface OrderPath {
  /** The outcome each branching step produced, where it is not the step's first (happy) one. */
  readonly choices: Readonly<Record<string, DetailType>>;
  readonly hops: readonly Hop[];
  /** Every event of the order, in order, the first one included. */
  readonly events: readonly DetailType[];
}

/** The facts computed from a declaration. */
export class PipelineGraph {
  readonly declaration: PipelineDeclaration;
  /** The step names, in declaration order. */
  readonly stepNames: readonly string[];
  /** The HTTP function names, in declaration order. */
  readonly httpFunctionNames: readonly string[];
  /** Every detail-type a function produces, each with its producer. */
  readonly producers: ReadonlyMap<DetailType, string>;
  /** Events that settle an order: after one, no step does anything more for it (only the projection applies it). */
  readonly settlingEvents: readonly DetailType[];
  /** Every detail-type a function produces, in the order of an order's life: by how many events precede it, then as contracts.ts lists them. */
  readonly lifeCycleOrder: readonly DetailType[];
  /** Each status's rank: a status only ever gives way to a higher one. Terminal statuses share the highest. */
  readonly statusRank: Readonly<Record<string, number>>;
  /** The statuses an order ends in. */
  readonly terminalStatuses: readonly string[];
  readonly #depth = new Map<DetailType, number>();

  constructor(declaration: PipelineDeclaration) {
    this.declaration = declaration;
    this.stepNames = Object.keys(declaration.steps);
    this.httpFunctionNames = Object.keys(declaration.http);
    const producers = new Map<DetailType, string>();
    for (const name of [...this.httpFunctionNames, ...this.stepNames]) {
      for (const type of Object.keys(this.function(name).produces) as DetailType[]) producers.set(type, name);
    }
    this.producers = producers;
    this.settlingEvents = [...producers.keys()].filter((type) => this.#recordingConsumersOf(type).length === 0);
    for (const type of producers.keys()) this.#depthOf(type);
    const depth = (type: DetailType) => this.#depth.get(type) ?? 0;
    this.lifeCycleOrder = DETAIL_TYPES.filter((type) => producers.has(type)).sort((a, b) => depth(a) - depth(b) || DETAIL_TYPES.indexOf(a) - DETAIL_TYPES.indexOf(b));
    const [statusRank, terminalStatuses] = this.#statuses();
    this.statusRank = statusRank;
    this.terminalStatuses = terminalStatuses;
  }

  /** The declaration of function `name`. */
  function(name: string): FunctionDeclaration {
    const declaration = this.declaration.steps[name] ?? this.declaration.http[name];
    if (declaration === undefined) throw new InvalidPipelineError(`no function named ${name}`);
    return declaration;
  }

  /** The declaration of step `name`. */
  step(name: string): StepDeclaration {
    const declaration = this.declaration.steps[name];
    if (declaration === undefined) throw new InvalidPipelineError(`no step named ${name}`);
    return declaration;
  }

  /** What producing `type` means for the order. */
  outcome(type: DetailType): OutcomeDeclaration | undefined {
    const producer = this.producers.get(type);
    return producer === undefined ? undefined : this.function(producer).produces[type];
  }

  /** Whether step `name` records its outcomes in the ledger: every step that produces something does. */
  records(name: string): boolean {
    return this.stepNames.includes(name) && Object.keys(this.function(name).produces).length > 0;
  }

  /** Whether recording one of step `name`'s outcomes moves stock. */
  movesStock(name: string): boolean {
    return Object.values(this.function(name).produces).some((outcome) => outcome?.moves !== undefined);
  }

  /** The step whose ledger record step `step` must find before it handles `consumed`, if any. */
  prerequisiteOf(step: string, consumed: DetailType): string | undefined {
    return this.step(step).consumes[consumed] === Prerequisite.producerRecorded ? this.producers.get(consumed) : undefined;
  }

  /** Whether step `name` reads the ledger at all: for its prerequisites, its own record, or to record. */
  readsLedger(name: string): boolean {
    const declaration = this.step(name);
    return this.records(name) || declaration.readsOwnRecordFirst === true || Object.values(declaration.consumes).includes(Prerequisite.producerRecorded);
  }

  /** The status the read model shows after `type` with `detail`, or `undefined` to leave it. */
  statusAfter(type: DetailType, detail: unknown): string | undefined {
    const status = this.outcome(type)?.status;
    if (status === undefined || typeof status === 'string') return status;
    const value = (detail as Record<string, unknown> | null)?.[status.field];
    return typeof value === 'string' ? status.values[value] : undefined;
  }

  /** Whether a timeline holding these event types belongs to a settled order. */
  isSettled(types: Iterable<DetailType | string>): boolean {
    for (const type of types) if ((this.settlingEvents as readonly string[]).includes(type)) return true;
    return false;
  }

  /**
   * The path an order takes when each step in `choices` produces the outcome given there, and
   * every other step its first declared outcome.
   * @throws InvalidPipelineError when a choice names an outcome its step does not produce, or
   *   an event goes to two steps that record (the order would take two paths at once).
   */
  path(choices: Readonly<Partial<Record<string, DetailType>>> = {}): OrderPath {
    const entries = this.httpFunctionNames.flatMap((name) => (Object.keys(this.function(name).produces) as DetailType[]).filter((type) => this.#recordingConsumersOf(type).length > 0));
    const [first] = entries;
    if (first === undefined || entries.length > 1) throw new InvalidPipelineError(`an order path needs exactly one first event, got ${entries.join(', ') || 'none'}`);
    const hops: Hop[] = [];
    for (let consumed = first; ; ) {
      const consumers = this.#recordingConsumersOf(consumed);
      if (consumers.length === 0) break;
      const [step] = consumers;
      if (step === undefined || consumers.length > 1) throw new InvalidPipelineError(`${consumed} goes to ${consumers.join(' and ')}: an order would take two paths at once`);
      const outcomes = Object.keys(this.function(step).produces) as DetailType[];
      const produced = choices[step] ?? outcomes[0];
      if (produced === undefined || !outcomes.includes(produced)) throw new InvalidPipelineError(`${step} does not produce ${produced}; it produces ${outcomes.join(', ')}`);
      hops.push({ step, consumed, produced });
      consumed = produced;
    }
    const chosen = Object.fromEntries(hops.filter((hop) => hop.produced !== Object.keys(this.function(hop.step).produces)[0]).map((hop) => [hop.step, hop.produced]));
    return { choices: chosen, hops, events: [first, ...hops.map((hop) => hop.produced)] };
  }

  /** Every path an order can take, the happy path first. */
  paths(): OrderPath[] {
    const found: OrderPath[] = [];
    const explore = (choices: Record<string, DetailType>) => {
      const path = this.path(choices);
      found.push(path);
      // Branch at every step after the last one already chosen, so each path is found once.
      const lastChosen = Math.max(-1, ...path.hops.map((hop, index) => (hop.step in choices ? index : -1)));
      for (const hop of path.hops.slice(lastChosen + 1)) {
        for (const other of (Object.keys(this.function(hop.step).produces) as DetailType[]).slice(1)) explore({ ...choices, [hop.step]: other });
      }
    };
    explore({});
    return found;
  }

  /** Steps that consume `type` and record an outcome (the projection, which records nothing, is not one). */
  #recordingConsumersOf(type: DetailType): string[] {
    return this.stepNames.filter((name) => type in this.step(name).consumes && this.records(name));
  }

  /** How many events precede `type` on the longest way to it (the first event is 1). */
  #depthOf(type: DetailType): number {
    const known = this.#depth.get(type);
    if (known !== undefined) return known;
    const producer = this.producers.get(type);
    const consumed = producer !== undefined && producer in this.declaration.steps ? (Object.keys(this.step(producer).consumes) as DetailType[]) : [];
    const depth = 1 + Math.max(0, ...consumed.filter((before) => this.producers.has(before)).map((before) => this.#depthOf(before)));
    this.#depth.set(type, depth);
    return depth;
  }

  #statuses(): [Record<string, number>, string[]] {
    const highest = Math.max(0, ...this.#depth.values()) + 1;
    const rank: Record<string, number> = {};
    const terminal = new Set<string>();
    for (const [type] of this.producers) {
      const outcome = this.outcome(type);
      const status = outcome?.status;
      if (status === undefined) continue;
      for (const name of typeof status === 'string' ? [status] : Object.values(status.values)) {
        if (outcome?.terminal) terminal.add(name);
        rank[name] = outcome?.terminal ? highest : Math.max(rank[name] ?? 0, this.#depth.get(type) ?? 0);
      }
    }
    return [rank, [...terminal]];
  }
}

/** The order pipeline's graph. */
export const PIPELINE_GRAPH = new PipelineGraph(PIPELINE);

/** The steps, in declaration order. */
export const STEP_NAMES = PIPELINE_GRAPH.stepNames as readonly StepName[];

/** The HTTP functions, in declaration order. */
export const HTTP_FUNCTION_NAMES = PIPELINE_GRAPH.httpFunctionNames as readonly HttpFunctionName[];

/** The detail-types step `step` consumes. */
export function consumedBy<S extends StepName>(step: S): readonly ConsumedBy<S>[] {
  return Object.keys(PIPELINE.steps[step].consumes) as ConsumedBy<S>[];
}

/** The detail-types function `name` produces. */
export function producedBy<F extends FunctionName>(name: F): readonly ProducedBy<F>[] {
  return Object.keys(PIPELINE_GRAPH.function(name).produces) as ProducedBy<F>[];
}

/** The statuses an order ends in; each accepted order reaches exactly one of them. */
export const TERMINAL_STATUSES = PIPELINE_GRAPH.terminalStatuses as readonly OrderStatus[];

/** The events after which an order is settled: the customer was told its outcome. */
export const SETTLING_EVENTS = PIPELINE_GRAPH.settlingEvents;

/** Whether an order whose timeline holds these event types is settled. */
export function isSettled(timeline: Iterable<{ readonly type: string }>): boolean {
  return PIPELINE_GRAPH.isSettled([...timeline].map((entry) => entry.type));
}
