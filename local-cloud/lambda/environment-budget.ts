/**
 * The most execution environments (worker threads) all of a local cloud's functions may have
 * alive at once: the local stand-in for the account's concurrency limit, sized to the machine
 * rather than to AWS's 1,000. Each environment is a V8 isolate that compiles the function's
 * bundle on its own, so on a machine with a few cores every environment beyond what the load
 * needs costs CPU (a cold start, then its own optimizing compiles) that the invocations needed.
 *
 * A function takes a slot for each environment it starts and gives it back when the environment
 * is discarded. A function that has no environment at all is never starved: when no slot is
 * free, another function's idle environment is retired to make room, as Lambda reclaims idle
 * environments. A function that only wants one more (a scale-out) waits for a free slot instead.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */

/** A function sharing the budget. */
export interface EnvironmentBudgetMember {
  /** Retires the environment that has been idle longest, if any; true when one was retired. */
  retireIdleEnvironment(): boolean;
  /** How many of its environments are idle. */
  idleEnvironments(): number;
  /** A slot was given back while this member was waiting for one. */
  slotFreed(): void;
}

/** Environments of all functions of a local cloud, at most {@link limit} at once; see the module comment. */
export class ExecutionEnvironmentBudget {
  /** The most environments alive at once. */
  readonly limit: number;
  #inUse = 0;
  #peak = 0;
  readonly #members = new Set<EnvironmentBudgetMember>();
  readonly #waiting = new Set<EnvironmentBudgetMember>();
  #notifying = false;

  /** @throws RangeError when `limit` is not a whole number of at least 1. */
  constructor(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`the execution environment limit must be a whole number of at least 1, got ${limit}`);
    this.limit = limit;
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
   * Takes a slot for a new environment of `member`. With `firstEnvironment`, the member has
   * none: another member's idle environment is retired when no slot is free. Returns false when
   * no slot could be had; the member is then told through `slotFreed` when one is given back.
   */
  take(member: EnvironmentBudgetMember, options: { readonly firstEnvironment: boolean }): boolean {
    if (this.#inUse >= this.limit && options.firstEnvironment) this.#reclaimFor(member);
    if (this.#inUse >= this.limit) {
      this.#waiting.add(member);
      return false;
    }
    this.#waiting.delete(member);
    this.#inUse += 1;
    this.#peak = Math.max(this.#peak, this.#inUse);
    return true;
  }

  /** Gives a slot back (an environment was discarded), and tells the members waiting for one. */
  give(): void {
    this.#inUse = Math.max(0, this.#inUse - 1);
    if (this.#waiting.size === 0 || this.#notifying) return;
    // Told on the next turn: a member reclaiming a slot right now takes it first.
    this.#notifying = true;
    queueMicrotask(() => {
      this.#notifying = false;
      for (const waiting of [...this.#waiting]) {
        if (this.#inUse >= this.limit) return;
        this.#waiting.delete(waiting);
        waiting.slotFreed();
      }
    });
  }

  /** Retires the idle environment of the member with the most idle ones. */
  #reclaimFor(requester: EnvironmentBudgetMember): void {
    const donors = [...this.#members].filter((member) => member !== requester && member.idleEnvironments() > 0);
    donors.sort((a, b) => b.idleEnvironments() - a.idleEnvironments());
    for (const donor of donors) if (donor.retireIdleEnvironment()) return;
  }
}
