/**
 * The fault state of one local cloud: the spec in force, the seeded generator every decision
 * draws from, and counts of what was injected. The wrappers around the cloud's ports ask it
 * whether to strike; the cloud's owner switches faults on, changes them, or clears them at run
 * time (a soak clears them before redriving its DLQs).
 */
import { SeededRandom } from '#cloud/faults/prng';
import { FaultKind, type FaultSpec, type FaultTargets } from '#cloud/faults/fault-spec';

/** How many faults of each kind were injected so far. */
export type InjectedFaultCounts = Readonly<Record<FaultKind, number>>;

/** What the owner of a local cloud sees of its faults. */
export interface FaultControl {
  /** The seed of the generator, to repeat a run with `--seed`. */
  readonly seed: number;
  /** The faults in force. */
  readonly spec: FaultSpec;
  /** Replaces the faults in force; an unreachable-target window starts now. */
  set(spec: FaultSpec): void;
  /** Stops injecting faults; deliveries already delayed still arrive. */
  clear(): void;
  /** Faults injected so far, by kind. */
  injected(): InjectedFaultCounts;
}

/**
 * Decides, fault by fault, whether to strike. One generator for every kind, so a seed fixes
 * the whole sequence of decisions. Draws happen in the order the cloud asks, which concurrency
 * can vary between runs: a seed replays a sequential run exactly and a concurrent one closely.
 */
export class FaultInjector implements FaultControl {
  readonly #random: SeededRandom;
  readonly #now: () => number;
  readonly #counts: Record<FaultKind, number> = { throw: 0, crash: 0, duplicate: 0, delay: 0, putEventsFailure: 0, unreachableTarget: 0 };
  #spec: FaultSpec = {};
  #setAt = 0;

  /** @param options.now - the clock unreachable windows are measured with. @default Date.now */
  constructor(options: { readonly seed: number; readonly spec?: FaultSpec; readonly now?: () => number }) {
    this.#random = new SeededRandom(options.seed);
    this.#now = options.now ?? Date.now;
    this.set(options.spec ?? {});
  }

  get seed(): number {
    return this.#random.seed;
  }

  get spec(): FaultSpec {
    return this.#spec;
  }

  set(spec: FaultSpec): void {
    this.#spec = spec;
    this.#setAt = this.#now();
  }

  clear(): void {
    this.set({});
  }

  injected(): InjectedFaultCounts {
    return { ...this.#counts };
  }

  /** Whether a probability fault (`throw`, `crash`, `duplicate`, `putEventsFailure`) strikes something called by one of `names`. */
  strikes(kind: 'throw' | 'crash' | 'duplicate' | 'putEventsFailure', ...names: readonly string[]): boolean {
    const fault = this.#spec[kind];
    return fault !== undefined && appliesTo(fault, names) && this.#count(kind, this.#random.chance(fault.probability));
  }

  /** Whether a send to target queue `queueName` fails as unreachable. */
  unreachable(queueName: string): boolean {
    const fault = this.#spec.unreachableTarget;
    if (fault === undefined || !appliesTo(fault, [queueName])) return false;
    const strikes = 'windowMs' in fault ? this.#now() - this.#setAt < fault.windowMs : this.#random.chance(fault.probability);
    return this.#count(FaultKind.unreachableTarget, strikes);
  }

  /** How long to hold a send to target queue `queueName`, 0 for not at all. */
  delayMs(queueName: string): number {
    const fault = this.#spec.delay;
    if (fault === undefined || !appliesTo(fault, [queueName])) return 0;
    const delay = this.#random.below(fault.maxDelayMs + 1);
    this.#count(FaultKind.delay, delay > 0);
    return delay;
  }

  #count(kind: FaultKind, struck: boolean): boolean {
    if (struck) this.#counts[kind] += 1;
    return struck;
  }
}

/**
 * Whether a fault applies to something known by `names`: targets are matched as fragments with
 * case and punctuation ignored, so `capture-payment` finds the physical name
 * `OrderPipeline-CapturePaymentFunctionB1BCB66E` CloudFormation gave the function.
 */
export function appliesTo(fault: FaultTargets, names: readonly string[]): boolean {
  if (fault.targets === undefined) return true;
  const normalized = names.map(normalize);
  return fault.targets.some((target) => normalized.some((name) => name.includes(normalize(target))));
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
