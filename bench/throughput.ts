/**
 * Throughput measurement: a fixed number of concurrent workers repeat an operation for a fixed
 * time, after a warm-up, in several rounds whose median is reported. When two systems are
 * compared (the local cloud and a no-op server), their rounds alternate, so a disturbance from
 * another process on the shared machine falls on both rather than on one.
 */
import { performance } from 'node:perf_hooks';
import { median } from './statistics.ts';

/** One system under load. */
export interface LoadSubject {
  /** Does one unit of work and says how many items it completed (messages, events). */
  operation(): Promise<number>;
  /**
   * Waits for work started by the operations to finish (deliveries still in flight); it is
   * part of the timed round.
   * @default - nothing to wait for
   */
  settle?(): Promise<void>;
  /**
   * Restores the starting state between rounds (untimed).
   * @default - nothing to restore
   */
  reset?(): Promise<void>;
}

/** How hard and how long to load each subject. */
export interface LoadOptions {
  /** Operations in flight at once. */
  readonly concurrency: number;
  /** Untimed warm-up before the first round (JIT, connection pool, caches). */
  readonly warmupMs: number;
  /** Length of one timed round. */
  readonly roundMs: number;
  /** Number of timed rounds; the median is reported. */
  readonly rounds: number;
  /** Ceiling on operations per round, so a fast subject cannot pile up unbounded state. */
  readonly maxOperationsPerRound: number;
}

/** The rate of one subject. */
export interface RateMeasurement {
  /** Median over the rounds of items per second. */
  readonly perSecond: number;
  /** Items per second of each round, in order. */
  readonly rounds: readonly number[];
}

/**
 * Loads each subject with the same options, alternating their rounds, and returns each
 * subject's median rate (items per second), keyed as `subjects` is.
 */
export async function measureRates<K extends string>(subjects: Readonly<Record<K, LoadSubject>>, options: LoadOptions): Promise<Record<K, RateMeasurement>> {
  const keys = Object.keys(subjects) as K[];
  const rounds = new Map<K, number[]>(keys.map((key) => [key, []]));
  for (const key of keys) {
    await runRound(subjects[key], { ...options, roundMs: options.warmupMs });
    await subjects[key].reset?.();
  }
  for (let round = 0; round < options.rounds; round += 1) {
    for (const key of keys) {
      rounds.get(key)?.push(await runRound(subjects[key], options));
      await subjects[key].reset?.();
    }
  }
  const measurements = {} as Record<K, RateMeasurement>;
  for (const key of keys) {
    const rates = rounds.get(key) ?? [];
    measurements[key] = { perSecond: median(rates), rounds: rates };
  }
  return measurements;
}

/** One timed round: items per second from the first operation to the end of `settle`. */
async function runRound(subject: LoadSubject, options: Pick<LoadOptions, 'concurrency' | 'roundMs' | 'maxOperationsPerRound'>): Promise<number> {
  const start = performance.now();
  const deadline = start + options.roundMs;
  let started = 0;
  let items = 0;
  const worker = async (): Promise<void> => {
    // Each worker finishes the operation it started, so a round leaves no half-done cycle.
    while (performance.now() < deadline && started < options.maxOperationsPerRound) {
      started += 1;
      // Not `items += await …`: that reads `items` before the await and loses the other workers' counts.
      const completed = await subject.operation();
      items += completed;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await subject.settle?.();
  const seconds = (performance.now() - start) / 1000;
  return items / seconds;
}
