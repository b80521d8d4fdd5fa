/**
 * The one pseudo-random generator behind every injected fault. `Math.random` cannot be seeded,
 * so a run that failed under faults could never be repeated; mulberry32 is a tiny, fast 32-bit
 * generator whose whole state is one integer: the same seed gives the same sequence of
 * decisions, so `--seed N` replays a failing run's fault decisions.
 * @see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c (mulberry32)
 */

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffff_ffff;

/** A seeded source of pseudo-random numbers (not for cryptography). */
export class SeededRandom {
  /** The seed the sequence started from, to print so a run can be repeated. */
  readonly seed: number;
  #state: number;

  /** @param seed - an integer from 0 to {@link MAX_SEED} */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED}, got ${seed}`);
    this.seed = seed;
    this.#state = seed;
  }

  /** The next number, uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** True with probability `probability` (0 never draws, so it does not shift the sequence). */
  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  /** An integer uniform in [0, `bound`). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }
}

/** A seed for a run that was given none; print it so the run can be repeated. */
export function randomSeed(): number {
  return Math.floor(Math.random() * MAX_SEED);
}
