/**
 * Overload through the real local cloud: a burst of orders far beyond what two cores drain as
 * they arrive, with the cloud's execution environments capped below what the functions' mappings
 * would scale to. Counts, not speed: nothing is lost, the worker threads stay within the cap, and
 * the pipeline drains by itself (no order needs a redrive) once the burst is placed. (How many
 * records came back after their visibility timeout depends on how starved the machine is, so it
 * is in the soak's report, not asserted.)
 */
import { describe, expect, it } from 'vitest';
import { expectAllInvariantsHold, SOAK_TEST_TIMEOUT_MS, soakUnder } from './soak-support.ts';

/** Below the 9 functions' combined concurrency (55), above one environment each. */
const ENVIRONMENT_LIMIT = 12;

describe('a soak under overload', () => {
  it('a burst of orders: nothing lost, worker threads within the limit, every order settles without a redrive', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Prepare: 50 orders, 30 POSTs in flight at once
    const options = { orders: 50, seed: 13, concurrency: 30, executionEnvironments: { limit: ENVIRONMENT_LIMIT } };

    // Act
    const report = await soakUnder({}, options);

    // Assess
    expectAllInvariantsHold(report);
    expect(report.refused).toEqual([]);
    expect(report.deadLettersBeforeRedrive).toEqual([]);
    expect(report.settledBeforeRedrive).toBe(report.planned);
    expect(report.executionEnvironments.limit).toBe(ENVIRONMENT_LIMIT);
    expect(report.executionEnvironments.peak).toBeLessThanOrEqual(ENVIRONMENT_LIMIT);
    expect(report.executionEnvironments.aliveAtEnd).toBeLessThanOrEqual(ENVIRONMENT_LIMIT);
  });
});
