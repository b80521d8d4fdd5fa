/**
 * The most execution environments (worker threads) all of a local cloud's functions may have
 * alive at once: the local stand-in for the account's concurrency limit, sized to the machine
 * rather than to AWS's 1,000. Each environment is a V8 isolate that compiles the function's
 * bundle on its own, so on a machine with a few cores every environment beyond what the load
 * needs costs CPU (a cold start, then its own optimizing compiles) that the invocations needed.
 *
 * A function takes a slot for each environment it starts and gives it back when the environment
 * is discarded. On Lambda the limit counts concurrent executions, not idle environments, so an
 * idle environment never keeps another function's invocation waiting here either: when a
 * function waits for a slot, another function's idle environment is retired to make room, at
 * once or as soon as one becomes idle, as Lambda reclaims idle environments. A function with no
 * environment at all may take another's last one; a scale-out only takes environments beyond a
 * function's first, so two busy functions do not trade cold starts, and only one that has been
 * idle a while ({@link ExecutionEnvironmentBudgetOptions.scaleOutDonorIdleMs}): under overload
 * every function is idle for moments between batches, and retiring an environment that will be
 * needed again at once costs two cold starts' CPU that the invocations needed (measured at twice
 * the sustainable rate: throughput fell from 1.02 to 0.63 of it when scale-outs took environments
 * idle for any time). A function waiting for its first environment takes any idle one at once.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */

/** A function sharing the budget. */
export interface EnvironmentBudgetMember {
  /**
   * Retires the environment that has been idle longest, if it has been idle at least
   * `minIdleMs`, unless `keepLast` and it is the member's only environment; true when one was
   * retired (its slot is given back once it is gone).
   */
  retireIdleEnvironment(options: { readonly keepLast: boolean; readonly minIdleMs: number }): boolean;
  /** How many of its environments have been idle at least `minIdleMs`. */
  idleEnvironments(minIdleMs?: number): number;
  /** How many environments it has alive. */
  aliveEnvironments(): number;
  /** Whether an invocation of it still waits for an environment. */
  hasWaitingInvocations(): boolean;
  /** A slot was given back while this member was waiting for one. */
  slotFreed(): void;
}

/** Options of {@link ExecutionEnvironmentBudget}. */
export interface ExecutionEnvironmentBudgetOptions {
  /**
   * How long another function's environment must have been idle before it is retired for a
   * scale-out; a first environment takes one idle for any time.
   * @default 1000
   */
  readonly scaleOutDonorIdleMs?: number;
}

/** Environments of all functions of a local cloud, at most {@link limit} at once; see the module comment. */
export class ExecutionEnvironmentBudget {
  /** The most environments alive at once. */
  readonly limit: number;
  readonly #scaleOutDonorIdleMs: number;
  #inUse = 0;
  #peak = 0;
  readonly #members = new Set<EnvironmentBudgetMember>();
  /** Members waiting for a slot, and whether they have no environment at all, in the order they asked. */
  readonly #waiting = new Map<EnvironmentBudgetMember, { readonly firstEnvironment: boolean }>();
  /** Environments retired for waiting members whose slots are not back yet. */
  #freeing = 0;
  #notifying = false;

  /** @throws RangeError when `limit` is not a whole number of at least 1. */
  constructor(limit: number, options: ExecutionEnvironmentBudgetOptions = {}) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`the execution environment limit must be a whole number of at least 1, got ${limit}`);
    this.limit = limit;
    this.#scaleOutDonorIdleMs = options.scaleOutDonorIdleMs ?? 1_000;
  }

  /** Environments alive now. */
  get inUse(): number {
    return this.#inUse;
  }

  /** The most environments that were alive at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Adds a function; the returned callback removes it. */
  join(member: EnvironmentBudgetMember): () => void {
    this.#members.add(member);
    return () => {
      this.#members.delete(member);
      this.#waiting.delete(member);
    };
  }

  /**
   * Takes a slot for a new environment of `member` (`firstEnvironment`: it has none). Returns
   * false when no slot is free: an idle environment of another member is then retired for it,
   * now or when one becomes idle, and the member is told through `slotFreed` when a slot is back.
   */
  take(member: EnvironmentBudgetMember, options: { readonly firstEnvironment: boolean }): boolean {
    if (this.#inUse >= this.limit) {
      this.#waiting.set(member, { firstEnvironment: options.firstEnvironment });
      this.#reclaim();
      return false;
    }
    this.#waiting.delete(member);
    this.#inUse += 1;
    this.#peak = Math.max(this.#peak, this.#inUse);
    return true;
  }

  /**
   * Whether `member` could start one more environment (a scale-out) now: a slot is free, or
   * another member has an idle environment beyond its first that would be retired for it.
   */
  canScaleOut(member: EnvironmentBudgetMember): boolean {
    if (this.#inUse < this.limit) return true;
    return [...this.#members].some((other) => other !== member && other.idleEnvironments(this.#scaleOutDonorIdleMs) > 0 && other.aliveEnvironments() > 1);
  }

  /** An environment of `member` became idle: it is retired if a waiting member needs its slot. */
  environmentIdle(member: EnvironmentBudgetMember): void {
    if (this.#waiting.size > 0) this.#reclaim(member);
  }

  /** Gives a slot back (an environment was discarded), and tells the members waiting for one. */
  give(): void {
    this.#inUse = Math.max(0, this.#inUse - 1);
    this.#freeing = Math.max(0, this.#freeing - 1);
    if (this.#waiting.size === 0 || this.#notifying) return;
    // Told on the next turn: a member reclaiming a slot right now takes it first.
    this.#notifying = true;
    queueMicrotask(() => {
      this.#notifying = false;
      for (const waiting of [...this.#waiting.keys()]) {
        if (this.#inUse >= this.limit) return;
        this.#waiting.delete(waiting);
        waiting.slotFreed();
      }
    });
  }

  /**
   * Retires idle environments of members other than the waiting ones, one per waiting member
   * not yet provided for, from `donor` when given, else from the members with the most idle ones.
   */
  #reclaim(donor?: EnvironmentBudgetMember): void {
    for (const [requester, { firstEnvironment }] of this.#waiting) {
      // A member whose invocations got environments of its own since it asked needs no slot.
      if (!requester.hasWaitingInvocations()) this.#waiting.delete(requester);
      else if (this.#freeing >= this.#waiting.size) return;
      else this.#retireFor(requester, firstEnvironment, donor);
    }
  }

  /** Retires one idle environment for `requester`, from `donor` or the member with the most idle ones. */
  #retireFor(requester: EnvironmentBudgetMember, firstEnvironment: boolean, donor: EnvironmentBudgetMember | undefined): void {
    const minIdleMs = firstEnvironment ? 0 : this.#scaleOutDonorIdleMs;
    const candidates = donor === undefined ? [...this.#members].filter((member) => member.idleEnvironments(minIdleMs) > 0) : [donor];
    candidates.sort((a, b) => b.idleEnvironments(minIdleMs) - a.idleEnvironments(minIdleMs));
    for (const candidate of candidates) {
      if (candidate === requester || this.#waiting.has(candidate)) continue;
      // Counted before the retirement: an environment may be discarded (and its slot given back)
      // within the call, and a slot given back before it was counted would leave one counted
      // for ever, so every later waiter would wait for an idle timeout.
      this.#freeing += 1;
      if (candidate.retireIdleEnvironment({ keepLast: !firstEnvironment, minIdleMs })) return;
      this.#freeing -= 1;
    }
  }
}
