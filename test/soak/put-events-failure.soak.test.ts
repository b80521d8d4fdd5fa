/** PutEvents entries that fail, through the real local cloud: publishers and clients retry, every invariant holds. */
import { describe, expect, it } from 'vitest';
import { expectAllInvariantsHold, SOAK_TEST_TIMEOUT_MS, soakUnder } from './soak-support.ts';

describe('a soak under PutEvents failures', () => {
  it('putEventsFailure: failed entries are published again by the steps (and the POST retried), no order is lost', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Act
    const report = await soakUnder({ putEventsFailure: { probability: 0.2 } }, { orders: 40, seed: 10 });
    // Assess
    expectAllInvariantsHold(report);
    expect(report.injected.putEventsFailure).toBeGreaterThan(10);
    expect(report.eventCounts.get('OrderPlaced')).toBeGreaterThanOrEqual(40);
  });
});
