/**
 * Running a soak from a test: the assembly the test run synthesized, free ports, the
 * accelerators (failed records come back after 10 s, EventBridge retries every few ms), and an
 * assertion that names every violated invariant.
 */
import { expect, inject } from 'vitest';
import type { FaultSpec } from '#cloud/faults/fault-spec';
import { SeededRandom } from '#cloud/faults/prng';
import { runSoak, type SoakOptions, type SoakReport } from '#local/soak/soak-run';

/**
 * Time a soak test may take: about 10-30 s on a quiet 2-core machine (vitest runs one file at a
 * time there: its default is one worker fewer than the cores), several times that with the
 * machine's other core busy, and a soak is the heaviest thing the suite runs.
 */
export const SOAK_TEST_TIMEOUT_MS = 120_000;

/** Runs a soak of `orders` orders under `faults` on its own local cloud. */
export function soakUnder(faults: FaultSpec, options: { readonly orders: number; readonly seed: number } & Pick<SoakOptions, 'alongside' | 'concurrency' | 'executionEnvironments' | 'functionLogs' | 'beforeStop'>): Promise<SoakReport> {
  return runSoak({
    concurrency: 10,
    ...options,
    faults,
    assemblyDirectory: inject('assemblyDirectory'),
    // 60 s visibility timeouts become the least the local cloud allows: the function's 10 s
    // timeout (plus the projection's 1 s batching window), so a slow batch is never redelivered.
    visibilityTimeoutScale: 0.05,
    eventBridgeRetryBaseDelayMs: 10,
    idleTimeoutMs: 60_000,
  });
}

/** Asserts that every invariant holds, listing the violations when one does not. */
export function expectAllInvariantsHold(report: SoakReport): void {
  const violations = report.invariants.flatMap((result) => result.violations.map((violation) => `${result.invariant}: ${violation}`));
  expect(violations).toEqual([]);
  expect(report.accepted).toHaveLength(report.planned);
}

/**
 * The first seed whose first `draws` draws at `probability` strike at least once within the
 * first `firstWithin` and at most `atMost` times in all. A fault targeted at one or two
 * functions draws once per invocation of them, so such a seed makes a test both certain to
 * inject the fault and certain never to fail one batch on all of its queue's 4 receives
 * (which SQS would dead-letter without a cause, a violation the invariants rightly report).
 */
export function aSeedStriking(probability: number, options: { readonly draws: number; readonly firstWithin: number; readonly atMost: number }): number {
  for (let seed = 1; ; seed += 1) {
    const random = new SeededRandom(seed);
    const strikes = Array.from({ length: options.draws }, () => random.chance(probability));
    const first = strikes.indexOf(true);
    if (first >= 0 && first < options.firstWithin && strikes.filter(Boolean).length <= options.atMost) return seed;
  }
}

/** The record counts of the function whose physical name contains `fragment` (e.g. `CapturePayment`). */
export function recordsOf(report: SoakReport, fragment: string) {
  const entry = [...report.records].find(([functionName]) => functionName.includes(fragment));
  if (entry === undefined) throw new Error(`no batches of a function named like ${fragment}`);
  return entry[1];
}
