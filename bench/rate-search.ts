/**
 * Finding the highest sustained arrival rate of an open-loop load: the load steps up (doubling)
 * until a rate is not sustained, then bisects between the last rate that was and the first that
 * was not. Pure, so the search and the verdict on each step are tested without a clock.
 */
import { percentileOrNull } from './statistics.ts';

/** What one step of the search observed. */
export interface StepObservation {
  /** Orders per second the step was asked to place. */
  readonly targetRate: number;
  /** Orders placed (POSTs sent). */
  readonly placed: number;
  /** Orders accepted (202). */
  readonly accepted: number;
  /** Seconds from the first POST to the last. */
  readonly arrivalSeconds: number;
  /** Accepted orders settled by the time the last POST was sent plus the grace time. */
  readonly settledInGrace: number;
  /** Latency of each settled order, from sending its POST to its settlement, in ms. */
  readonly latenciesMs: readonly number[];
  /** Why the step stopped placing orders before its count, if it did (a growing backlog). */
  readonly abandonedBecause?: string;
  /**
   * POSTs answered 429 (the stage's throttling) and sent again after a back-off: a rate the API
   * pushes back on is not sustained, even when every order got in on a later try. @default 0
   */
  readonly throttled?: number;
}

/** When a rate counts as sustained. */
export interface SustainCriteria {
  /** Highest p99 latency. @default 2000 */
  readonly maxP99Ms?: number;
  /**
   * Time after the last arrival by which every order must be settled: a backlog that is still
   * there after it was growing. @default 2000 (the p99 bound)
   */
  readonly graceMs?: number;
  /** Least share of the target rate the client must have achieved. @default 0.9 */
  readonly minArrivalShare?: number;
}

/** The verdict on a step. */
export interface StepVerdict {
  readonly sustained: boolean;
  /** Why not, or `ok`. */
  readonly reason: string;
  /** Orders per second actually placed. */
  readonly arrivalRate: number;
  /** p99 latency in ms, `null` when nothing settled. */
  readonly p99Ms: number | null;
}

/** Judges a step: every order accepted (none throttled) and settled in time, the rate achieved, p99 in bound. */
export function judgeStep(step: StepObservation, criteria: SustainCriteria = {}): StepVerdict {
  const maxP99Ms = criteria.maxP99Ms ?? 2000;
  const minArrivalShare = criteria.minArrivalShare ?? 0.9;
  const arrivalRate = step.arrivalSeconds > 0 ? (step.placed - 1) / step.arrivalSeconds : step.placed;
  const p99Ms = percentileOrNull(step.latenciesMs, 99);
  const verdict = (sustained: boolean, reason: string): StepVerdict => ({ sustained, reason, arrivalRate, p99Ms });
  if (step.abandonedBecause !== undefined) return verdict(false, step.abandonedBecause);
  if (step.accepted < step.placed) return verdict(false, `${step.placed - step.accepted} of ${step.placed} orders not accepted`);
  if ((step.throttled ?? 0) > 0) return verdict(false, `${step.throttled} POSTs throttled (429)`);
  if (arrivalRate < minArrivalShare * step.targetRate) return verdict(false, `placed only ${arrivalRate.toFixed(1)} of ${step.targetRate} orders/s`);
  if (step.settledInGrace < step.accepted) return verdict(false, `backlog: ${step.accepted - step.settledInGrace} orders unsettled ${criteria.graceMs ?? 2000} ms after the last arrival`);
  if (p99Ms === null || p99Ms > maxP99Ms) return verdict(false, `p99 ${p99Ms?.toFixed(0) ?? '-'} ms above ${maxP99Ms} ms`);
  return verdict(true, 'ok');
}

/** A rate tried and whether it was sustained. */
export interface RateTried {
  readonly rate: number;
  readonly sustained: boolean;
}

/** How the search steps. */
export interface RateSearchOptions {
  /** The first rate. */
  readonly start: number;
  /** The highest rate worth trying. */
  readonly max: number;
  /** Stop bisecting when the gap between sustained and not is at most this share of the sustained rate. */
  readonly relativeResolution: number;
  /** Most steps in all. */
  readonly maxSteps: number;
}

/**
 * The next rate to try after `history`, or `undefined` when the search is over: doubling from
 * `start` while sustained (up to `max`), halving while nothing is, then bisecting between the
 * highest sustained rate and the lowest rate above it that was not, to `relativeResolution`.
 * Rates are whole orders per second.
 */
export function nextRate(history: readonly RateTried[], options: RateSearchOptions): number | undefined {
  if (history.length === 0) return options.start;
  if (history.length >= options.maxSteps) return undefined;
  const sustained = highestSustained(history);
  const failedAbove = history.filter((step) => !step.sustained && (sustained === undefined || step.rate > sustained)).map((step) => step.rate);
  const lowestFailed = failedAbove.length > 0 ? Math.min(...failedAbove) : undefined;
  if (lowestFailed === undefined) {
    if (sustained === undefined || sustained >= options.max) return undefined;
    return Math.min(options.max, sustained * 2);
  }
  if (sustained === undefined) {
    const lower = Math.floor(lowestFailed / 2);
    return lower >= 1 ? lower : undefined;
  }
  if (lowestFailed - sustained <= Math.max(1, options.relativeResolution * sustained)) return undefined;
  const middle = Math.round((sustained + lowestFailed) / 2);
  return middle > sustained && middle < lowestFailed ? middle : undefined;
}

/** The highest rate of `history` that was sustained. */
export function highestSustained(history: readonly RateTried[]): number | undefined {
  const rates = history.filter((step) => step.sustained).map((step) => step.rate);
  return rates.length > 0 ? Math.max(...rates) : undefined;
}
